"""docs/governance-rules.md names, for each seed rule it lists as encoded, the test that would
fail without it (`tests/<path>.py::test_name`): each named test exists, and every row of the
rules table names at least one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTE = ROOT / "docs" / "governance-rules.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _tests_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def _rules_rows() -> list[str]:
    """The rows of the first table (seed, rule, where, test)."""
    lines = NOTE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Seed | Rule |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_every_test_the_note_names_exists() -> None:
    named = NAMED.findall(NOTE.read_text(encoding="utf-8"))
    assert len(named) > 20
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).is_file() or name not in _tests_of(ROOT / path)
    ]
    assert missing == []


def test_every_rule_names_its_test() -> None:
    rows = _rules_rows()
    assert rows
    assert [row for row in rows if not NAMED.search(row.rsplit("|", 2)[-2])] == []
