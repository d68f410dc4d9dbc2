"""A service run as production runs it: its own uvicorn process, logging to a file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from canlian.common.descriptor import ServiceDescriptor
from canlian.common.web_security import UVICORN_FLAGS
from canlian.testing.ports import ADDRESS_IN_USE, free_port

# A port probed free may be taken before uvicorn binds it; a first start tries fresh ones.
START_ATTEMPTS = 5


class ServiceProcess:
    def __init__(
        self,
        descriptor: ServiceDescriptor,
        env: dict[str, str],
        log_dir: Path,
        port: int | None = None,
    ) -> None:
        self.descriptor = descriptor
        self.env = env
        self._port_chosen_here = port is None
        self.port = port or free_port()
        self.log_path = log_dir / f"{descriptor.name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_seconds: float = 60.0) -> None:
        """Start and wait until /healthz answers; the log of a failed start is in the error.

        A restart keeps the port (callers hold the URL); only a first start on a port chosen
        here moves to a fresh port when another process took it.
        """
        first_start = self.process is None
        for _ in range(START_ATTEMPTS):
            log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            if self._start_once(timeout_seconds):
                return
            port_taken = ADDRESS_IN_USE in self.log()[log_offset:]
            if not (port_taken and first_start and self._port_chosen_here):
                break
            self.port = free_port()
        raise AssertionError(f"{self.descriptor.name} did not start:\n{self.log()[-3000:]}")

    def _start_once(self, timeout_seconds: float) -> bool:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            self.descriptor.app_factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *UVICORN_FLAGS,
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return True
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        return False

    def kill(self) -> None:
        """SIGKILL, as a crash: no shutdown code runs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
