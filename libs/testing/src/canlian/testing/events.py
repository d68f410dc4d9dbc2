"""Events of every platform type built from their published schemas, for tests that must
cover each type (the cross-language consumer, the earlier versions' shapes)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from canlian.common.catalogue.documents import event_schema, platform_events
from canlian.common.events.base import DomainEvent


def sample_data(node: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A value the schema accepts (the models carry few constraints beyond types)."""
    while "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[1]], **node}
        node.pop("$ref")
    if "anyOf" in node:
        return sample_data(next(m for m in node["anyOf"] if m.get("type") != "null"), defs)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {name: sample_data(sub, defs) for name, sub in node.get("properties", {}).items()}
    if kind == "array":
        return [sample_data(node.get("items", {"type": "string"}), defs)]
    if kind == "integer":
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if node.get("format") == "date":
        return date(2026, 1, 2).isoformat()
    if node.get("format") == "date-time":
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).isoformat()
    if node.get("format") == "decimal" or "pattern" in node:
        return "1.5"
    return "620102003004"  # strings in these events are mostly codes and ids


def sample_event(cls: type[DomainEvent]) -> DomainEvent:
    """One event of the type, every field filled, validated as a producer validates."""
    schema = event_schema(cls)
    return cls.model_validate(sample_data(schema, schema.get("$defs", {})))


def one_of_each() -> list[DomainEvent]:
    return [sample_event(cls) for cls in platform_events()]
