"""Waiting for the services `canlian up` started: each one's `/readyz`, a line as each gets
ready, and on a timeout the names of those that did not, with where their logs are."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Starting:
    name: str
    url: str
    log: Path
    exited: Callable[[], int | None] = lambda: None
    """The process's exit code once it has ended (None while it runs)."""


class NotReady(Exception):
    """Some services did not answer `/readyz` with 200 in time, or ended."""

    def __init__(self, waiting: list[Starting], exited: dict[str, int], timeout: float) -> None:
        self.waiting = waiting
        self.exited = exited
        lines = []
        for service in waiting:
            if service.name in exited:
                why = f"exited with {exited[service.name]}"
            else:
                why = f"not ready after {timeout:.0f} s"
            lines.append(f"{service.name} {why} ({service.url}/readyz); its log: {service.log}")
        super().__init__("; ".join(lines))


def probe_ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def wait_ready(
    services: list[Starting],
    *,
    timeout: float,
    on_ready: Callable[[Starting, float], None] = lambda service, seconds: None,
    probe: Callable[[str], bool] = probe_ready,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    interval: float = 0.3,
) -> None:
    """Until every service answers ready (calling `on_ready` for each as it does, with the
    seconds it took); raises NotReady naming the rest when `timeout` passes or one exits."""
    started = clock()
    waiting = list(services)
    while True:
        exited: dict[str, int] = {}
        for service in list(waiting):
            code = service.exited()
            if code is not None:
                exited[service.name] = code
            elif probe(service.url):
                waiting.remove(service)
                on_ready(service, clock() - started)
        if not waiting:
            return
        if exited or clock() - started >= timeout:
            raise NotReady(waiting, exited, timeout)
        sleep(interval)
