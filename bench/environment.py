"""Servers for a benchmark run: the real PostgreSQL and Kafka, started here unless
DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS name existing ones; services as uvicorn processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

_WORKSPACE = Path(__file__).resolve().parent.parent


def compile_bytecode() -> None:
    """Compile the installed packages and the workspace's sources, as the images do
    (UV_COMPILE_BYTECODE=1): with PYTHONDONTWRITEBYTECODE set (as on some machines) every
    process of a run would compile them again (seconds per command-line call or server
    start) and time that instead of the work."""
    import sysconfig

    paths = [
        sysconfig.get_paths()["purelib"],
        str(_WORKSPACE / "libs"),
        str(_WORKSPACE / "services"),
    ]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *paths],
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def postgres() -> Iterator[str]:
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        yield os.environ["DATABASE_URL"]
        return
    from canlian.testing.postgres import PostgresServer

    with PostgresServer() as server:
        yield server.url


@contextmanager
def kafka() -> Iterator[str]:
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        return
    from canlian.testing.kafka import KafkaServer

    with KafkaServer() as server:
        yield server.bootstrap_servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def uvicorn_process(
    factory: str, env: dict[str, str], log_path: Path, *, workers: int = 1
) -> Iterator[str]:
    """Run an app factory in its own process (as production runs it); yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--workers",
        str(workers),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
                if process.poll() is not None:
                    raise RuntimeError(f"{factory} exited:\n{log_path.read_text()[-2000:]}")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
