"""Write the catalogue under docs/events/ and check the committed one: up to date with the
models, and every published schema still honoured by the model of its type and version."""

from __future__ import annotations

from pathlib import Path

from canlian.common.catalogue.compatibility import breaking_changes
from canlian.common.catalogue.documents import (
    committed_schemas,
    event_schema,
    find_current,
    generated_files,
    platform_events,
)
from canlian.common.events.base import DomainEvent


class BreakingChange(Exception):
    """A model no longer honours the schema published for its type and version."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def default_root() -> Path:
    """docs/events of the checkout this code runs from."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file() and (parent / "docs").is_dir():
            return parent / "docs" / "events"
    return Path.cwd() / "docs" / "events"


def incompatibilities(root: Path) -> list[str]:
    """Each published schema against the current model of the same type and version."""
    problems: list[str] = []
    committed = committed_schemas(root)
    newest: dict[str, int] = {}
    for event_type, version in committed:
        newest[event_type] = max(newest.get(event_type, 0), version)
    # An earlier version still on the wire is read against the schema it was published
    # with: that file must stay (it is never regenerated).
    problems.extend(
        f"{cls.event_type} v{version}: still published beside v{cls.schema_version}, but "
        "its schema is not in the catalogue"
        for cls in platform_events()
        for version in sorted(cls.earlier_versions)
        if (cls.event_type, version) not in committed
    )
    for (event_type, version), published in committed.items():
        current = find_current(event_type, version)
        if current is None:
            cls = DomainEvent.registry.get(event_type)
            if cls is None:
                problems.append(f"{event_type} v{version}: the event type was removed")
            elif cls.schema_version < newest[event_type]:
                problems.append(
                    f"{event_type}: the model is at v{cls.schema_version}, "
                    f"v{newest[event_type]} was published"
                )
            continue  # an older version, kept for the readers of old events
        problems.extend(
            f"{event_type} v{version}: {problem}"
            for problem in breaking_changes(published, event_schema(current))
        )
    return problems


def stale(root: Path) -> list[str]:
    """Generated files missing from root or different there."""
    out: list[str] = []
    for relative, content in generated_files().items():
        path = root / relative
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            out.append(relative)
    return out


def write(root: Path, *, allow_breaking: bool = False) -> list[str]:
    """Write what changed; refuses (BreakingChange) to replace a published schema with an
    incompatible one unless told to. Older versions' files are kept."""
    problems = incompatibilities(root) if root.is_dir() else []
    if problems and not allow_breaking:
        raise BreakingChange(problems)
    changed = stale(root)
    files = generated_files()
    for relative in changed:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[relative], encoding="utf-8")
    return changed
