"""The event catalogue: committed, up to date with the models, served by every service, and
guarded by a compatibility rule (a published schema may only grow)."""

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from canlian.common.catalogue import publish
from canlian.common.catalogue.compatibility import breaking_changes
from canlian.common.catalogue.documents import (
    REGENERATE,
    event_schema,
    generated_files,
    platform_events,
)
from canlian.common.events import metrics
from canlian.common.events.base import CloudEvent

ROOT = Path(__file__).resolve().parents[2] / "docs" / "events"


def test_the_committed_catalogue_is_up_to_date_with_the_models() -> None:
    stale = publish.stale(ROOT)
    assert stale == [], f"docs/events is out of date ({', '.join(stale)}): run `{REGENERATE}`"


def test_no_published_schema_is_broken_by_the_current_models() -> None:
    assert publish.incompatibilities(ROOT) == []


def test_every_event_type_has_a_valid_2020_12_schema_and_an_asyncapi_message() -> None:
    files = generated_files()
    document = yaml.safe_load(files["asyncapi.yaml"])
    assert document["asyncapi"] == "3.0.0"
    messages = document["components"]["messages"]
    assert len(platform_events()) >= 30
    for cls in platform_events():
        schema = json.loads(files[f"schemas/{cls.event_type}/v{cls.schema_version}.json"])
        jsonschema.Draft202012Validator.check_schema(schema)
        assert "additionalProperties" not in json.dumps(schema), "readers must tolerate more"
        assert cls.event_type in messages
        channel = document["channels"][cls.topic]
        assert channel["messages"][cls.__name__]["$ref"].endswith(cls.event_type)
    assert not any(".test." in event_type for event_type in messages)


class _Wider(metrics.FiguresSubmitted):
    """FiguresSubmitted with an optional field added."""

    channel: str | None = None


class _Retyped(metrics.FiguresSubmitted):
    year: str  # type: ignore[assignment]


class _NewlyRequired(metrics.FiguresSubmitted):
    channel: str


def test_an_added_optional_field_is_compatible() -> None:
    assert breaking_changes(event_schema(metrics.FiguresSubmitted), event_schema(_Wider)) == []


def test_a_removed_retyped_or_newly_required_field_is_breaking() -> None:
    wider, current = event_schema(_Wider), event_schema(metrics.FiguresSubmitted)
    assert breaking_changes(wider, current) == ["field channel was removed"]
    assert breaking_changes(current, event_schema(_Retyped)) == [
        "field year changed type from integer to string"
    ]
    assert breaking_changes(current, event_schema(_NewlyRequired)) == [
        "field channel added required"
    ]


def _synthetic(**standardisation: Any) -> dict[str, Any]:
    return {
        "$defs": {
            "Std": {"type": "object", "properties": standardisation},
            "Kind": {"enum": ["a", "b"], "type": "string"},
        },
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"$ref": "#/$defs/Kind"},
            "std": {"anyOf": [{"$ref": "#/$defs/Std"}, {"type": "null"}]},
            "codes": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["id"],
    }


def test_nested_and_array_changes_are_found_through_refs() -> None:
    old = _synthetic(has_sign={"type": "boolean"})
    assert breaking_changes(old, _synthetic(has_sign={"type": "boolean"}, more={})) == []
    assert breaking_changes(old, _synthetic(has_sign={"type": "integer"})) == [
        "field std.has_sign changed type from boolean to integer"
    ]
    assert breaking_changes(old, _synthetic()) == ["field std.has_sign was removed"]
    retyped_items = _synthetic(has_sign={"type": "boolean"})
    retyped_items["properties"]["codes"]["items"] = {"type": "integer"}
    assert breaking_changes(old, retyped_items) == [
        "field codes[] changed type from string to integer"
    ]
    not_null = _synthetic(has_sign={"type": "boolean"})
    not_null["properties"]["std"] = {"$ref": "#/$defs/Std"}
    assert breaking_changes(old, not_null) == ["field std changed type from null|object to object"]


def test_regenerating_refuses_to_replace_a_published_schema_incompatibly(tmp_path: Path) -> None:
    root = tmp_path / "events"
    shutil.copytree(ROOT, root)
    path = root / "schemas" / metrics.FiguresSubmitted.event_type / "v1.json"
    published = json.loads(path.read_text())
    published["properties"]["region_name"] = {"type": "string"}  # as if a field was removed
    path.write_text(json.dumps(published))
    expected = [f"{metrics.FiguresSubmitted.event_type} v1: field region_name was removed"]
    assert publish.incompatibilities(root) == expected
    with pytest.raises(publish.BreakingChange) as refused:
        publish.write(root)
    assert refused.value.problems == expected
    assert "region_name" in path.read_text()  # left as published
    publish.write(root, allow_breaking=True)
    assert publish.stale(root) == []


def _figures() -> dict[str, Any]:
    return {
        "submission_id": "s1",
        "plan_code": "p",
        "division_code": "620000000000",
        "year": 2026,
        "version": 1,
        "status": "waiting",
        "submitted_by": "u",
        "submitted_at": "2026-01-01T00:00:00Z",
    }


async def test_every_service_serves_the_catalogue_without_a_token(
    client: httpx.AsyncClient,
) -> None:
    event = metrics.FiguresSubmitted
    dataschema = CloudEvent.wrap(
        event.model_validate(_figures()), source="/t", schema_base_url=str(client.base_url)
    ).dataschema
    response = await client.get(dataschema)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    assert response.json() == json.loads((ROOT / f"schemas/{event.event_type}/v1.json").read_text())
    document = await client.get("/events/asyncapi.yaml")
    assert document.status_code == 200
    assert document.text == (ROOT / "asyncapi.yaml").read_text()
    missing = await client.get(f"/events/schemas/{event.event_type}/v9.json")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    english = await client.get(
        "/events/schemas/cn.canlian.nothing/v1.json", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 404
    assert "cn.canlian.nothing" in english.json()["detail"]
