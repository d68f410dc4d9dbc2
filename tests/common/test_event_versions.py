"""Earlier versions of an event type: the v1 of the types whose v2 made ids strings is
written from v2 in the shape v1 was published with, read back as the same event, and the
catalogue keeps its schema."""

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from canlian.common.catalogue import publish
from canlian.common.catalogue.documents import platform_events
from canlian.common.events.base import CloudEvent, DomainEvent, version_of_schema, with_version
from canlian.common.events.cards import CardIssued
from canlian.common.events.versions import earlier_envelopes
from canlian.testing.events import sample_event

ROOT = Path(__file__).resolve().parents[2] / "docs" / "events"
VERSIONED = [cls for cls in platform_events() if cls.earlier_versions]


def test_the_types_with_integer_ids_are_at_v2_and_still_publish_v1() -> None:
    names = {cls.event_type for cls in VERSIONED}
    assert "cn.canlian.cards.card.issued" in names
    assert "cn.canlian.cards.application.submitted" in names
    assert "cn.canlian.cards.transfer.requested" in names
    assert "cn.canlian.org-registry.division.changed" in names
    for cls in VERSIONED:
        assert cls.schema_version == 2, cls.event_type
        assert set(cls.earlier_versions) == {1}, cls.event_type
    # No current version carries an integer id: ids are strings, as REST answers them.
    for cls in platform_events():
        properties = cls.model_json_schema(mode="serialization")["properties"]
        for name, field in properties.items():
            if name.endswith("_id"):
                kinds = {m.get("type") for m in field.get("anyOf", [field])} - {"null"}
                assert kinds == {"string"}, f"{cls.event_type}.{name}: {kinds}"


@pytest.mark.parametrize("cls", VERSIONED, ids=lambda cls: cls.event_type)
def test_v1_is_written_in_the_shape_its_published_schema_states(cls: type[DomainEvent]) -> None:
    event = sample_event(cls)
    envelope = CloudEvent.wrap(event, source="/canlian/test", schema_base_url="https://e.test")
    (earlier,) = earlier_envelopes(cls.event_type, envelope.to_json())
    v1 = CloudEvent.model_validate_json(earlier)
    assert v1.id == envelope.id
    assert v1.subject == envelope.subject
    assert v1.dataschema == f"https://e.test/events/schemas/{cls.event_type}/v1.json"
    assert v1.schema_version == 1
    assert envelope.schema_version == 2
    published = json.loads((ROOT / "schemas" / cls.event_type / "v1.json").read_text())
    jsonschema.Draft202012Validator(published).validate(v1.data)
    ids = [name for name, value in envelope.data.items() if name.endswith("_id") and value]
    assert ids
    assert all(isinstance(v1.data[name], int) for name in ids)
    assert all(isinstance(envelope.data[name], str) for name in ids)
    # Read back, both versions are the same event.
    assert v1.payload() == envelope.payload() == event


def test_types_without_earlier_versions_have_no_second_record() -> None:
    cls = next(cls for cls in platform_events() if not cls.earlier_versions)
    envelope = CloudEvent.wrap(sample_event(cls), source="/canlian/test")
    assert earlier_envelopes(cls.event_type, envelope.to_json()) == []
    assert earlier_envelopes("cn.canlian.unknown.type", envelope.to_json()) == []


def test_an_earlier_version_without_its_published_schema_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "events"
    shutil.copytree(ROOT, root)
    assert publish.incompatibilities(root) == []
    (root / "schemas" / CardIssued.event_type / "v1.json").unlink()
    assert publish.incompatibilities(root) == [
        f"{CardIssued.event_type} v1: still published beside v2, but its schema is not in "
        "the catalogue"
    ]


def test_the_version_is_read_from_the_dataschema() -> None:
    url = "https://e.test/events/schemas/cn.canlian.cards.card.issued/v2.json"
    assert version_of_schema(url) == 2
    assert version_of_schema("https://e.test/schema.json") is None
    assert with_version(url, 1).endswith("/cn.canlian.cards.card.issued/v1.json")
