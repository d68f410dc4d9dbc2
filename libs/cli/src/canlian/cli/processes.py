"""The services `canlian up` runs: each one's output relayed line by line with its name in
front (coloured on a terminal) and kept in `<data>/logs/<service>.log`."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from canlian.cli.readiness import Starting

_COLOURS = ("36", "35", "33", "34", "32", "96", "95")


def prefixed(name: str, line: str, *, width: int, colour: str | None) -> str:
    """`name | line`, unless the line already starts with the name (the services' own
    readable log lines do)."""
    if line.startswith(f"{name} ") or line.startswith(f"\x1b[36m{name}\x1b[0m "):
        return line
    label = f"{name:<{width}} |"
    return f"\x1b[{colour}m{label}\x1b[0m {line}" if colour else f"{label} {line}"


class ServiceProcesses:
    def __init__(self, log_dir: Path, *, colour: bool, out: IO[str] | None = None) -> None:
        self.log_dir = log_dir
        self.colour = colour
        # None: sys.stderr at each write, so that a progress bar drawn meanwhile (which
        # redirects it) keeps the lines above itself.
        self.out = out
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._threads: list[threading.Thread] = []
        self._write = threading.Lock()
        self._width = 12

    def log_of(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def start(self, name: str, command: list[str], env: Mapping[str, str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            command,
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.processes[name] = process
        colour = _COLOURS[(len(self.processes) - 1) % len(_COLOURS)] if self.colour else None
        thread = threading.Thread(
            target=self._relay, args=(name, process, colour), daemon=True, name=f"relay-{name}"
        )
        thread.start()
        self._threads.append(thread)

    def _relay(self, name: str, process: subprocess.Popen[bytes], colour: str | None) -> None:
        assert process.stdout is not None
        with self.log_of(name).open("a", encoding="utf-8") as log:
            for raw in process.stdout:
                line = raw.decode("utf-8", errors="replace").rstrip("\n")
                log.write(line + "\n")
                log.flush()
                with self._write:
                    out = self.out or sys.stderr
                    out.write(prefixed(name, line, width=self._width, colour=colour) + "\n")
                    out.flush()

    def starting(self, urls: Mapping[str, str]) -> list[Starting]:
        return [
            Starting(name, urls[name], self.log_of(name), exited=process.poll)
            for name, process in self.processes.items()
        ]

    def ended(self) -> tuple[str, int] | None:
        for name, process in self.processes.items():
            code = process.poll()
            if code is not None:
                return name, code
        return None

    def stop(self, grace: float = 15.0) -> list[str]:
        """SIGTERM to every service, SIGKILL to those still running after `grace` seconds;
        returns the names in the order they were started."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        return list(self.processes)
