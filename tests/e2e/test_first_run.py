"""A newcomer's first command: `canlian up` on an empty data directory (embedded default)
waits for the services, fills the demo county through the public APIs and prints the
dashboard's link; Gansu's indicators are then non-zero and the dashboard shows them."""

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import httpx
import pytest

from canlian.cli.demo import DemoSize
from canlian.common.descriptor import installed_services
from canlian.testing.browser import CHROMIUM, chromium
from canlian.testing.ports import free_port_offset

CANLIAN = [sys.executable, "-m", "canlian.cli"]
GANSU = "620000000000"
# The machine running the tests may be busy: starting five services and the demo can be slow.
FIRST_RUN_SECONDS = 600.0


def _lines(stream: IO[bytes], into: "queue.Queue[str]") -> None:
    for raw in stream:
        into.put(raw.decode(errors="replace").rstrip("\n"))


def _wait_for_line(
    lines: "queue.Queue[str]",
    seen: list[str],
    prefix: str,
    process: "subprocess.Popen[bytes]",
) -> str:
    deadline = time.monotonic() + FIRST_RUN_SECONDS
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1.0)
        except queue.Empty:
            if process.poll() is not None:
                raise AssertionError(
                    f"canlian up ended ({process.returncode}) before a {prefix!r} line; "
                    "output ends:\n" + "\n".join(seen[-60:])
                ) from None
            continue
        seen.append(line)
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no {prefix!r} line; output ends:\n" + "\n".join(seen[-60:]))


def _indicators(metrics: str, token: str) -> dict[str, dict[str, object]]:
    response = httpx.get(
        f"{metrics}/v1/regions/{GANSU}/indicators",
        params={"plan": "gs-12th"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    return {item["indicator"]: item for item in response.json()["indicators"]}


def _numerator(values: dict[str, dict[str, object]], indicator: str) -> float:
    value = values[indicator]["numerator"]
    return float(value) if isinstance(value, int | float) else 0.0


def _count(url: str, path: str, token: str) -> int:
    total, cursor = 0, None
    while True:
        page = httpx.get(
            f"{url}{path}",
            params={"limit": 200, **({"cursor": cursor} if cursor else {})},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        page.raise_for_status()
        total += len(page.json()["items"])
        cursor = page.json().get("next_cursor")
        if not cursor:
            return total


def _written(offset: int, token: str) -> dict[str, int]:
    """What the demo wrote, counted in the services that hold it."""
    at = {s.name: f"http://127.0.0.1:{s.default_port + offset}" for s in installed_services()}
    return {
        "organisations": _count(at["org-registry"], "/v1/organisations", token),
        "appointments": _count(at["members"], "/v1/appointments", token),
        "cards": _count(at["cards"], "/v1/applications", token),
        "volunteers": _count(at["volunteers"], "/v1/volunteers", token),
    }


@pytest.mark.timeout(1500)
def test_first_run_fills_gansu_and_shows_the_dashboard(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "CANLIAN_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    offset = free_port_offset([service.default_port for service in installed_services()])
    process = subprocess.Popen(
        [*CANLIAN, "up", "--port-offset", str(offset), "--ready-timeout", "500"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        link = _wait_for_line(lines, seen, "dashboard: ", process).removeprefix("dashboard: ")
        output = "\n".join(seen)
        for service in ("org-registry", "members", "cards", "volunteers", "metrics"):
            assert f"ready {service}" in output
        assert "demo incomplete" not in output, output[-3000:]
        page_url, _, fragment = link.partition("#")
        assert page_url.endswith("/dashboard")
        assert "?" not in page_url
        token = fragment.removeprefix("token=")
        assert token.count(".") == 2
        metrics = page_url.removesuffix("/dashboard")

        # The rollups follow the events: give them a moment.
        deadline = time.monotonic() + 120
        values = _indicators(metrics, token)
        while time.monotonic() < deadline and not (
            _numerator(values, "committee-member-staffing") > 0
            and _numerator(values, "cards-issued-to-eligible") > 0
            and _numerator(values, "registered-volunteers") > 0
            and _numerator(values, "persons-helped-by-volunteers") > 0
            and _numerator(values, "grassroots-organisation-coverage") > 0
        ):
            time.sleep(1)
            values = _indicators(metrics, token)
        assert _numerator(values, "committee-member-staffing") > 0, values
        assert _numerator(values, "cards-issued-to-eligible") > 0, values
        assert _numerator(values, "registered-volunteers") > 0, values
        assert _numerator(values, "persons-helped-by-volunteers") > 0, values
        assert _numerator(values, "grassroots-organisation-coverage") > 0, values

        # Again, as `canlian demo`: it knows the county and writes nothing twice.
        written = _written(offset, token)
        assert written["cards"] == DemoSize().card_holders
        assert written["volunteers"] == DemoSize().volunteers
        again = subprocess.run(
            [*CANLIAN, "demo", "--port-offset", str(offset)],
            env=env,
            capture_output=True,
            text=True,
            timeout=FIRST_RUN_SECONDS,
        )
        assert again.returncode == 0, again.stderr[-3000:]
        assert "the demo county was filled before" in again.stderr
        assert _written(offset, token) == written

        if CHROMIUM is None:
            pytest.skip("Debian's chromium is not installed: indicators checked, no screenshot")
        with chromium() as open_page:
            page = open_page(link)
            page.wait_for("document.querySelectorAll('#cards article').length > 0", 60)
            # The token left the address bar for this tab's sessionStorage.
            assert page.evaluate("window.location.hash") == ""
            assert page.evaluate("sessionStorage.getItem('canlian-token')") == token
            shown = page.evaluate("document.getElementById('summary').textContent")
            assert "甘肃" in shown, shown
            time.sleep(2)  # the charts' animation
            shot = page.screenshot(tmp_path / "first-run.png")
        assert shot.stat().st_size > 10_000
        target = os.environ.get("CANLIAN_FIRST_RUN_SCREENSHOT")
        if target:
            shutil.copyfile(shot, target)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    while not lines.empty():
        seen.append(lines.get())
    assert process.returncode == 0, "\n".join(seen[-60:])
