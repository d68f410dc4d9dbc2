"""The command line loads only the service it is asked about: each service's commands import
the whole service."""

import sys
from dataclasses import dataclass, field

import pytest

from canlian.cli import main


@dataclass
class _Entry:
    name: str
    loaded: list[str] = field(default_factory=list)

    def load(self) -> object:
        self.loaded.append(self.name)
        return None  # not a Typer: nothing is added to the command line


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    record: list[str] = []
    entries = [_Entry(name, record) for name in ("cards", "metrics", "volunteers")]
    monkeypatch.setattr(main, "entry_points", lambda group: entries)
    return record


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["metrics", "divisions", "load"], ["metrics"]),
        (["cards", "--help"], ["cards"]),
        ([], ["cards", "metrics", "volunteers"]),
        (["--help"], ["cards", "metrics", "volunteers"]),
        (["no-such-service"], ["cards", "metrics", "volunteers"]),
    ],
)
def test_only_the_service_named_first_is_loaded(
    loaded: list[str], arguments: list[str], expected: list[str]
) -> None:
    main._add_service_commands(arguments)
    assert loaded == expected


@pytest.mark.parametrize(
    ("arguments", "tuned"),
    [(["cards", "import", "--help"], True), (["services"], False), (["up", "--help"], False)],
)
def test_a_service_command_runs_with_the_garbage_collector_tuned(
    loaded: list[str], monkeypatch: pytest.MonkeyPatch, arguments: list[str], tuned: bool
) -> None:
    """Imports and loads make and drop millions of objects; `canlian up` tunes each app it
    starts once built (so that the apps are frozen too), and its own commands are short."""
    calls: list[None] = []
    monkeypatch.setattr(main, "tune_for_long_runs", lambda: calls.append(None))
    monkeypatch.setattr(sys, "argv", ["canlian", *arguments])
    monkeypatch.setattr(main, "app", lambda: None)
    main.main()
    assert calls == ([None] if tuned else [])
