"""Folding the event log for a rebuild on every core: the parent reads the log and routes
each message by its key to a worker process (an entity's events all carry its key, so each
entity is folded by exactly one process); the org-registry topic, whose division changes
touch several divisions at once, is folded in the parent with the divisions themselves. The
folds are merged at the end; should two ever hold the same entity, the caller folds again in
one process."""

from __future__ import annotations

import multiprocessing
import os
import zlib
from collections.abc import Sequence
from multiprocessing.connection import Connection

from canlian.common.messaging.transport import IncomingMessage
from canlian.metrics.service import RollupFold

FOLDED_IN_PARENT = "canlian.org-registry"


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 4))


def _fold_in_worker(connection: Connection) -> None:
    fold = RollupFold()
    while (values := connection.recv()) is not None:
        fold.add_messages(values)
    connection.send(fold)
    connection.close()


class ParallelFold:
    def __init__(self, fold: RollupFold, workers: int) -> None:
        self._fold = fold
        # Spawned, not forked: the parent may hold threads (the embedded log's) and locks.
        context = multiprocessing.get_context("spawn")
        self._connections: list[Connection] = []
        self._processes: list[multiprocessing.process.BaseProcess] = []
        for _ in range(workers):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_fold_in_worker, args=(child_end,), daemon=True)
            process.start()
            child_end.close()
            self._connections.append(parent_end)
            self._processes.append(process)

    def add(self, messages: Sequence[IncomingMessage]) -> None:
        shares: list[list[bytes]] = [[] for _ in self._connections]
        here: list[bytes] = []
        for message in messages:
            if message.topic == FOLDED_IN_PARENT or message.key is None or not shares:
                here.append(message.value)
            else:
                shares[zlib.crc32(message.key.encode()) % len(shares)].append(message.value)
        for connection, share in zip(self._connections, shares, strict=True):
            if share:
                connection.send(share)
        if here:
            self._fold.add_messages(here)

    def result(self) -> RollupFold:
        """The merged fold; raises `OverlappingEntities` if two processes held one entity."""
        for connection in self._connections:
            connection.send(None)
        try:
            for connection in self._connections:
                self._fold.merge(connection.recv())
        finally:
            self.close()
        return self._fold

    def close(self) -> None:
        for connection in self._connections:
            connection.close()
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
