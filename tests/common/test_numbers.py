"""Numbers on the wire (issue 13, item 6), audited over every service's OpenAPI document so
that the rule holds as schemas are added (docs/service-guide.md, "Numbers"):

- a count is a JSON integer;
- an exact amount people type and the service stores as NUMERIC (money in 元, a score,
  training hours, a policy value) is a `Decimal`, answered as a string with its column's
  decimal places ("100.00", "62.5"), as the published events carry it; whole yuan are integers;
- a measured or computed value (an indicator's value, target or gap, a rate, a share, a
  percentage, service hours worked out from minutes) is a JSON number;
- an answer's property has one type: never "a number or a string".
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter

from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.common.values import fixed_places

SERVICES = installed_services()

# Names that say "how many".
COUNT = re.compile(
    r"(^|_)(count|counts|persons|person_times|places|seats|vacancies|counties|villages|"
    r"workers|holders|volunteers|minutes|escalations|duplicates)$|_rows$|^rows_|^counties_in$"
)
# Names of exact amounts: money and scores.
EXACT = re.compile(r"(_yuan|(^|_)score)$")

Schema = dict[str, Any]


def _document(name: str, tmp_path: Path) -> Schema:
    descriptor = next(d for d in SERVICES if d.name == name)
    module = importlib.import_module(f"{descriptor.package}.app")
    document: Schema = module.create_app(PlatformSettings(canlian_data_dir=tmp_path)).openapi()
    return document


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref.rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def answered_schemas(document: Schema) -> dict[str, Schema]:
    """The component schemas a response can carry (reachable from a 2xx response)."""
    components: dict[str, Schema] = document["components"]["schemas"]
    wanted = [
        name
        for item in document["paths"].values()
        for operation in item.values()
        for code, response in operation.get("responses", {}).items()
        if code.startswith("2")
        for name in _refs(response.get("content", {}))
    ]
    found: dict[str, Schema] = {}
    while wanted:
        name = wanted.pop()
        if name in found or name not in components:
            continue
        found[name] = components[name]
        wanted.extend(_refs(components[name]))
    return found


def _types(node: Schema) -> set[str]:
    """The JSON types a property may take (null aside); arrays and maps by their items."""
    members = node.get("anyOf") or node.get("oneOf")
    if members:
        return {kind for member in members for kind in _types(member)}
    if "$ref" in node:
        return {"object"}
    kind = node.get("type")
    if kind == "null":
        return set()
    if kind == "array":
        return {f"array of {inner}" for inner in _types(node.get("items", {}))}
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return {f"map of {inner}" for inner in _types(node["additionalProperties"])}
    return {str(kind)}


def _properties(document: Schema) -> Iterator[tuple[str, str, set[str]]]:
    for schema_name, schema in answered_schemas(document).items():
        for name, node in (schema.get("properties") or {}).items():
            yield schema_name, name, _types(node)


@pytest.fixture(params=[d.name for d in SERVICES])
def document(request: pytest.FixtureRequest, tmp_path: Path) -> Schema:
    return _document(request.param, tmp_path)


def test_counts_are_integers(document: Schema) -> None:
    integers = {"integer", "array of integer", "map of integer", "object"}
    wrong = [
        f"{schema}.{name}: {sorted(kinds)}"
        for schema, name, kinds in _properties(document)
        if COUNT.search(name) and not kinds <= integers
    ]
    assert wrong == []


def test_an_answered_property_has_one_type(document: Schema) -> None:
    wrong = [
        f"{schema}.{name}: {sorted(kinds)}"
        for schema, name, kinds in _properties(document)
        if {"number", "string"} <= kinds or {"integer", "string"} <= kinds
    ]
    assert wrong == []


def test_money_and_scores_are_exact(document: Schema) -> None:
    """Money and scores are Decimal strings (or whole yuan), never floating-point numbers."""
    wrong = [
        f"{schema}.{name}: {sorted(kinds)}"
        for schema, name, kinds in _properties(document)
        if EXACT.search(name) and "number" in kinds
    ]
    assert wrong == []


def test_the_audit_sees_the_numbers_it_rules_on(tmp_path: Path) -> None:
    """The audit reads answers: members' allowances are Decimal strings, metrics' indicator
    values numbers, org-registry's counts integers."""
    members = {(s, n): k for s, n, k in _properties(_document("members", tmp_path / "m"))}
    assert members[("AppointmentRead", "monthly_allowance_yuan")] == {"string"}
    metrics = {(s, n): k for s, n, k in _properties(_document("metrics", tmp_path / "x"))}
    assert metrics[("IndicatorValue", "value")] == {"number"}
    assert metrics[("Completeness", "counties_in")] == {"integer"}


def test_an_exact_amount_keeps_its_places_whatever_was_typed() -> None:
    """ "120" and 120 are answered as "120.00", as a later read of the NUMERIC(10, 2) column."""
    yuan = TypeAdapter(Annotated[Decimal, fixed_places(2)])
    assert [yuan.dump_json(yuan.validate_python(v)) for v in ("120", 120, "30.5")] == [
        b'"120.00"',
        b'"120.00"',
        b'"30.50"',
    ]
