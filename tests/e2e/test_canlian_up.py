"""The README's first command as users run it: `canlian up` starts the five services as
processes on the embedded default, they answer, and Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from canlian.common.descriptor import installed_services
from canlian.testing.ports import free_port_offset

CANLIAN = [sys.executable, "-m", "canlian.cli"]


def _wait_healthy(
    urls: list[str], process: subprocess.Popen[bytes], log: Path, timeout: float = 300.0
) -> dict[str, dict[str, str]]:
    deadline = time.monotonic() + timeout
    answers: dict[str, dict[str, str]] = {}
    while time.monotonic() < deadline and len(answers) < len(urls):
        if process.poll() is not None:
            raise AssertionError(
                f"canlian up ended ({process.returncode}) before all answered: "
                + log.read_text(errors="replace")[-3000:]
            )
        for url in urls:
            if url in answers:
                continue
            try:
                response = httpx.get(f"{url}/healthz", timeout=1.0)
            except httpx.TransportError:
                continue
            if response.status_code == 200:
                answers[url] = response.json()
        time.sleep(0.3)
    return answers


def test_up_serves_five_services_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = {**os.environ, "CANLIAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    services = installed_services()
    offset = free_port_offset([service.default_port for service in services])
    # A file, not a pipe: the demo's seeding logs half a megabyte, and a pipe nobody reads
    # until the end would stall the services writing to it.
    log = tmp_path / "up.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*CANLIAN, "up", "--port-offset", str(offset)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    urls = [f"http://127.0.0.1:{service.default_port + offset}" for service in services]
    try:
        answers = _wait_healthy(urls, process, log)
        assert {answer["service"] for answer in answers.values()} == {
            "org-registry",
            "members",
            "cards",
            "volunteers",
            "metrics",
            "needs",
        }
        for url in urls:
            ready = httpx.get(f"{url}/readyz", timeout=5.0)
            assert ready.status_code == 200, ready.text
            assert httpx.get(f"{url}/openapi.json", timeout=5.0).status_code == 200

        token = subprocess.run(
            [*CANLIAN, "token", "--role", "official", "--region", "62"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert token.count(".") == 2
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    text = log.read_text(errors="replace")
    assert process.returncode == 0, text[-3000:]
    for service in services:
        assert f"stopped {service.name}" in text
    for url in urls:
        try:
            httpx.get(f"{url}/healthz", timeout=0.5)
        except httpx.TransportError:
            continue
        raise AssertionError(f"{url} still answers after Ctrl-C")
