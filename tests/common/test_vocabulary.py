"""One vocabulary across the services' APIs (issue 17, item 3), audited over their OpenAPI
documents so that it holds as routes are added.

Each rule names the exceptions still open; an exception fixed must leave its list (the test
fails on a listed route that no longer breaks the rule), so the lists only shrink.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings

SERVICES = installed_services()

# The region a list is narrowed to is `region` (most lists' name); `within` and `division`
# are accepted as deprecated aliases (canlian.common.query_parameters).
OTHER_REGION_NAMES = {"within", "division", "division_code", "region_code", "scope"}
# A date range is `from` and `to` (the volunteers' service records and reports);
# `start`/`end` are accepted as deprecated aliases where they were the names.
OTHER_RANGE_NAMES = {"start", "end", "since", "until", "start_date", "end_date", "date_from"}
# Unmasked personal data is asked for in one way: a GET of a sub-resource that takes the
# X-Access-Reason header (audited), never a flag on the masked read (the leadership's
# `?unmasked=true` stays as a deprecated alias of GET .../leadership/unmasked).
UNMASKED_OTHERWISE: set[tuple[str, str]] = set()
# Reports (tagged `reports`) live under /v1/reports/. These are a region's or an evaluation's
# own documents (the report of one object), kept beside the object.
REPORTS_OF_AN_OBJECT = {
    ("metrics", "/v1/regions/{code}/report.xlsx"),
    ("metrics", "/v1/regions/{code}/report.csv"),
    ("metrics", "/v1/regions/{code}/statistical-report.xlsx"),
    ("metrics", "/v1/regions/{code}/statistical-report.pdf"),
}
# A list answers an object (`items`, and `next_cursor` when paged), never a bare array: an
# object can grow a field without breaking clients. No exceptions: every success of every
# method is checked (a PUT answered an array once, beside the GETs this rule first read).
# Ids are strings on the wire (the volunteers', the needs', the registry's, the metrics', cards';
# sequence keys through canlian.common.ids.WireId), in every service now. A service listed
# here would be let answer integer ids; the test fails if one stays listed that answers none.
INTEGER_IDS: set[str] = set()
# A list's order is chosen with `sort`, never `order`, `order_by` or `sort_by`.
OTHER_SORT_NAMES = {"order", "order_by", "sort_by", "ordering"}


def _schema(descriptor_name: str, data_dir: Path) -> dict[str, Any]:
    descriptor = next(d for d in SERVICES if d.name == descriptor_name)
    module = importlib.import_module(f"{descriptor.package}.app")
    document: dict[str, Any] = module.create_app(
        PlatformSettings(canlian_data_dir=data_dir)
    ).openapi()
    return document


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return {d.name: _schema(d.name, tmp_path_factory.mktemp(d.name)) for d in SERVICES}


def _operations(documents: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, Any]]:
    return [
        (service, path, method, operation)
        for service, document in documents.items()
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _query(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def test_one_name_for_the_region_filter(documents: dict[str, dict[str, Any]]) -> None:
    other = [
        f"{service} {method.upper()} {path} ?{parameter['name']}"
        for service, path, method, operation in _operations(documents)
        for parameter in _query(operation)
        if parameter["name"] in OTHER_REGION_NAMES and not parameter.get("deprecated")
    ]
    assert other == []


def test_one_pair_of_names_for_a_date_range(documents: dict[str, dict[str, Any]]) -> None:
    wrong: list[str] = []
    for service, path, method, operation in _operations(documents):
        names = {p["name"] for p in _query(operation) if not p.get("deprecated")}
        where = f"{service} {method.upper()} {path}"
        wrong += [f"{where} ?{name}" for name in sorted(names & OTHER_RANGE_NAMES)]
        if ("from" in names) != ("to" in names):
            wrong.append(f"{where}: `from` without `to` or the reverse")
    assert wrong == []


def test_reports_live_under_v1_reports(documents: dict[str, dict[str, Any]]) -> None:
    outside = {
        (service, path)
        for service, path, method, operation in _operations(documents)
        if method == "get"
        and "reports" in operation.get("tags", [])
        and not path.startswith("/v1/reports/")
    }
    assert sorted(outside - REPORTS_OF_AN_OBJECT) == []
    assert sorted(REPORTS_OF_AN_OBJECT - outside) == []  # a report moved leaves the list


def test_one_way_to_ask_for_unmasked_data(documents: dict[str, dict[str, Any]]) -> None:
    flagged = {
        (service, path)
        for service, path, _method, operation in _operations(documents)
        if any(
            p["name"] in ("unmasked", "unmask", "full") and not p.get("deprecated")
            for p in _query(operation)
        )
    }
    audited = [
        (service, path)
        for service, path, method, operation in _operations(documents)
        if any(p["name"] == "X-Access-Reason" for p in operation.get("parameters", []))
    ]
    assert sorted(flagged - UNMASKED_OTHERWISE) == []
    assert sorted(UNMASKED_OTHERWISE - flagged) == []
    # Every audited read is a GET of its own path (a sub-resource), not a variant of a list.
    assert all(documents[s]["paths"][p].keys() == {"get"} for s, p in audited), audited


def _answers_an_array(operation: dict[str, Any]) -> bool:
    return any(
        status.startswith("2")
        and any(
            media.get("schema", {}).get("type") == "array"
            for name, media in response.get("content", {}).items()
            if name.endswith("json")
        )
        for status, response in operation["responses"].items()
    )


def test_a_list_answers_an_object(documents: dict[str, dict[str, Any]]) -> None:
    arrays = [
        f"{service} {method.upper()} {path}"
        for service, path, method, operation in _operations(documents)
        if _answers_an_array(operation)
    ]
    assert arrays == []


def test_the_array_check_reads_every_success() -> None:
    array = {"content": {"application/json": {"schema": {"type": "array"}}}}
    assert _answers_an_array({"responses": {"201": array}})
    assert not _answers_an_array({"responses": {"422": array}})
    assert not _answers_an_array({"responses": {"200": {"content": {}}}})


def test_a_page_is_items_and_a_cursor(documents: dict[str, dict[str, Any]]) -> None:
    pages = [
        (service, name, schema)
        for service, document in documents.items()
        for name, schema in document["components"]["schemas"].items()
        if name.endswith("Page")
    ]
    assert pages
    assert [
        (service, name)
        for service, name, schema in pages
        if set(schema["properties"]) != {"items", "next_cursor"}
    ] == []


def test_sorting_is_asked_with_sort(documents: dict[str, dict[str, Any]]) -> None:
    other = [
        f"{service} {method.upper()} {path} ?{parameter['name']}"
        for service, path, method, operation in _operations(documents)
        for parameter in _query(operation)
        if parameter["name"] in OTHER_SORT_NAMES
    ]
    assert other == []


def _id_types(document: dict[str, Any]) -> set[str]:
    """The JSON types of the `id` and `*_id` fields of the objects a service answers."""
    found: set[str] = set()
    for schema in document["components"]["schemas"].values():
        for name, field in schema.get("properties", {}).items():
            if name == "id" or name.endswith("_id"):
                options = field.get("anyOf", [field])
                found.update(o["type"] for o in options if o.get("type") not in (None, "null"))
    return found


def test_ids_are_strings(documents: dict[str, dict[str, Any]]) -> None:
    integer = {
        service for service, document in documents.items() if "integer" in _id_types(document)
    }
    assert sorted(integer - INTEGER_IDS) == []
    assert sorted(INTEGER_IDS - integer) == []


def test_the_audit_reads_every_service(documents: dict[str, dict[str, Any]]) -> None:
    assert set(documents) == {d.name for d in SERVICES}
    assert all(
        re.match(r"^/(v1|healthz|readyz|events|docs)", p)
        for d in documents.values()
        for p in d["paths"]
    )


# Lists that take `sort` (canlian.common.sorting): the main list of each concept. The other
# lists keep one natural order (newest first or by code) until a use asks for another.
SORTED = {
    ("cards", "/v1/cards"),
    ("members", "/v1/appointments"),
    ("members", "/v1/organisations"),
    ("org-registry", "/v1/organisations"),
    ("volunteers", "/v1/volunteers"),
    ("volunteers", "/v1/needs"),
    ("volunteers", "/v1/service-records"),
    ("needs", "/v1/households"),
    ("needs", "/v1/needs"),
    ("needs", "/v1/visits"),
}


def test_a_sort_names_its_choices(documents: dict[str, dict[str, Any]]) -> None:
    sorted_lists: set[tuple[str, str]] = set()
    for service, path, _method, operation in _operations(documents):
        for parameter in _query(operation):
            if parameter["name"] == "sort":
                sorted_lists.add((service, path))
                choices = parameter["schema"].get("enum", [])
                assert choices, (service, path)
                assert all(f"-{c}" in choices for c in choices if not c.startswith("-"))
    assert sorted(sorted_lists) == sorted(SORTED)
