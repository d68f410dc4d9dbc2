"""`canlian up` waits for every service's /readyz, says which got ready, and on a timeout or an
exit names the service that did not and where its log is."""

from pathlib import Path

import pytest

from canlian.cli.processes import prefixed
from canlian.cli.readiness import NotReady, Starting, wait_ready


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _services(tmp_path: Path, *names: str) -> list[Starting]:
    return [Starting(name, f"http://{name}", tmp_path / f"{name}.log") for name in names]


def test_waits_until_every_service_is_ready(tmp_path: Path) -> None:
    clock = FakeClock()
    ready_at = {"http://members": 5.0, "http://cards": 1.0}
    seen: list[tuple[str, float]] = []
    wait_ready(
        _services(tmp_path, "members", "cards"),
        timeout=30,
        on_ready=lambda service, seconds: seen.append((service.name, seconds)),
        probe=lambda url: clock.now >= ready_at[url],
        clock=clock,
        sleep=clock.sleep,
        interval=1.0,
    )
    assert [name for name, _ in seen] == ["cards", "members"]
    assert seen[1][1] == pytest.approx(5.0)


def test_a_timeout_names_the_service_and_its_log(tmp_path: Path) -> None:
    clock = FakeClock()
    with pytest.raises(NotReady) as raised:
        wait_ready(
            _services(tmp_path, "cards", "metrics"),
            timeout=10,
            probe=lambda url: url == "http://cards",
            clock=clock,
            sleep=clock.sleep,
            interval=1.0,
        )
    assert [service.name for service in raised.value.waiting] == ["metrics"]
    message = str(raised.value)
    assert "metrics not ready after 10 s" in message
    assert str(tmp_path / "metrics.log") in message
    assert "cards" not in message
    assert clock.now == pytest.approx(10.0)


def test_a_service_that_exits_stops_the_wait_at_once(tmp_path: Path) -> None:
    clock = FakeClock()
    crashed = Starting("members", "http://members", tmp_path / "members.log", exited=lambda: 3)
    with pytest.raises(NotReady, match="members exited with 3") as raised:
        wait_ready([crashed], timeout=100, probe=lambda url: False, clock=clock, sleep=clock.sleep)
    assert raised.value.exited == {"members": 3}
    assert clock.now == 0.0


def test_output_lines_are_prefixed_with_the_service_unless_they_name_it() -> None:
    assert prefixed("cards", "Traceback ...", width=8, colour=None) == "cards    | Traceback ..."
    assert prefixed("cards", "cards 12:00:00 INFO  up", width=8, colour=None) == (
        "cards 12:00:00 INFO  up"
    )
    assert prefixed("cards", "x", width=5, colour="35") == "\x1b[35mcards |\x1b[0m x"
