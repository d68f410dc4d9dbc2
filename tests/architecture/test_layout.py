"""The services' layout holds: one package per concept, small modules, imports one way.

Read from the source with `ast`, so a change that breaks the shape fails here and not in review.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p for p in (ROOT / "services").glob("*/src/canlian/*") if p.is_dir())
MAX_LINES = 600


def _modules(package: Path) -> Iterator[Path]:
    for path in sorted(package.rglob("*.py")):
        if "migrations" not in path.relative_to(package).parts:
            yield path


def _imported(path: Path, package_name: str) -> set[str]:
    """Absolute names of the `canlian.*` modules this file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.with_suffix("").parts
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                index = here.index("canlian")
                base = list(here[index : len(here) - node.level])
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return {n for n in names if n.startswith("canlian.")}


def _concept_of(module: str, package_name: str, concepts: set[str]) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["canlian", package_name] or len(parts) < 3:
        return None
    return parts[2] if parts[2] in concepts else None


@pytest.mark.parametrize("package", SERVICES, ids=lambda p: p.name)
def test_no_module_is_past_the_size_of_one_concept(package: Path) -> None:
    too_long = {
        str(path.relative_to(package)): n
        for path in _modules(package)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


@pytest.mark.parametrize("package", SERVICES, ids=lambda p: p.name)
def test_no_section_banners_stand_in_for_modules(package: Path) -> None:
    bannered = [
        str(path.relative_to(package))
        for path in _modules(package)
        if any(line.lstrip().startswith("# ---") for line in path.read_text("utf-8").splitlines())
    ]
    assert bannered == []


@pytest.mark.parametrize("package", SERVICES, ids=lambda p: p.name)
def test_concepts_import_each_other_one_way(package: Path) -> None:
    name = package.name
    concepts = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    concepts.discard("migrations")
    assert len(concepts) >= 4, "a service is split into concept packages"
    uses: dict[str, set[str]] = {c: set() for c in concepts}
    for path in _modules(package):
        owner = path.relative_to(package).parts[0]
        if owner not in concepts:
            continue
        for module in _imported(path, name):
            other = _concept_of(module, name, concepts)
            if other is not None and other != owner:
                uses[owner].add(other)

    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(uses[node]):
            if nxt in trail:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif len(trail) < len(concepts):
                visit(nxt, [*trail, nxt])

    for concept in sorted(concepts):
        visit(concept, [concept])
    assert cycles == []


def test_no_service_imports_another() -> None:
    names = {p.name for p in SERVICES}
    crossings = [
        f"{path.relative_to(ROOT)} imports {module}"
        for package in SERVICES
        for path in package.rglob("*.py")
        for module in _imported(path, package.name)
        if module.split(".")[1] in names - {package.name}
    ]
    assert crossings == []
