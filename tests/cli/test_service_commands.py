"""The command line loads only the service it is asked about: each service's commands import
the whole service."""

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
