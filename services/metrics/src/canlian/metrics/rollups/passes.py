"""A rebuild in passes, so that its memory does not grow with the log: the entity changes of
the whole log are routed to buckets on disk by their entity's key (every change of an entity
lands in one bucket, in the order it was read), then each bucket is folded in its turn and
its entity states written out and dropped. The rollups add up, so the fold's counters,
journal and tallies simply keep summing over the passes."""

from __future__ import annotations

import pickle
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from canlian.metrics.contributions.mappers import EVENT_TIME
from canlian.metrics.rollups.engine import Change

# Changes and states go to disk in frames of this many, pickled together (a frame's memo
# shares the repeated objects, and one call per frame keeps the cost per change small).
FRAME = 2000

StateRow = tuple[str, int, str, str, str]  # entity key, version, contribution, steps, source


def bucket_of(entity_key: str, buckets: int) -> int:
    """Stable across processes (unlike `hash`), so a rebuild's passes can be reproduced."""
    return zlib.crc32(entity_key.encode()) % buckets


def passes_for(entities: int, pass_size: int) -> int:
    """How many passes keep each one near `pass_size` entities (at most one per change)."""
    return max(1, -(-entities // max(pass_size, 1)))


class _Frames:
    """An append-only file of pickled frames, read back once in the order written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = path.open("wb")
        self._buffer: list[Any] = []

    def add(self, item: Any) -> None:
        self._buffer.append(item)
        if len(self._buffer) >= FRAME:
            self.flush()

    def flush(self) -> None:
        if self._buffer and self._file is not None:
            pickle.dump(self._buffer, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._buffer = []

    def frames(self) -> Iterator[list[Any]]:
        """Every frame in order; the file is gone once they are read."""
        self.flush()
        if self._file is not None:
            self._file.close()
            self._file = None
        try:
            with self.path.open("rb") as file:
                while True:
                    try:
                        yield pickle.load(file)  # noqa: S301 - our own file, written above
                    except EOFError:
                        return
        finally:
            self.path.unlink(missing_ok=True)


class ChangeSpill:
    """The log's entity changes, bucketed on disk by entity key (one bucket per pass)."""

    def __init__(self, directory: Path, buckets: int) -> None:
        self.buckets = buckets
        self._files = [_Frames(directory / f"changes-{n}.pickle") for n in range(buckets)]

    def add(self, changes: Iterable[Change]) -> None:
        files, buckets = self._files, self.buckets
        for change in changes:
            dates = None if change.dates == EVENT_TIME else change.dates
            files[bucket_of(change.entity_key, buckets)].add(
                (
                    change.entity_key,
                    change.version,
                    change.contribution,
                    change.source,
                    change.occurred_at,
                    change.division,
                    dates,
                )
            )

    def bucket(self, number: int) -> Iterator[list[Change]]:
        """A bucket's changes, frame by frame, in the order they were added."""
        for frame in self._files[number].frames():
            yield [
                Change(key, version, contribution, source, at, division, dates or EVENT_TIME)
                for key, version, contribution, source, at, division, dates in frame
            ]


class StateSpill:
    """The entity states of the passes done, kept on disk until the result is written."""

    def __init__(self, directory: Path) -> None:
        self._file = _Frames(directory / "states.pickle")

    def add(self, rows: Iterable[StateRow]) -> None:
        for row in rows:
            self._file.add(row)

    def frames(self) -> Iterator[list[StateRow]]:
        return self._file.frames()


def scratch_directory() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="canlian-rebuild-")
