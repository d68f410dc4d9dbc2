"""Generate the catalogue's documents from the event models."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from canlian.common import events
from canlian.common.events.base import SCHEMA_PATH, DomainEvent, schema_url
from canlian.common.messaging.outbox import STRUCTURED_CONTENT_TYPE

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
REGENERATE = "uv run canlian events catalogue"
_EVENT_MODULES = f"{events.__name__}."


def platform_events() -> list[type[DomainEvent]]:
    """Every event type of the platform (not those a test declares), by topic then type."""
    found = [
        cls for cls in DomainEvent.registry.values() if cls.__module__.startswith(_EVENT_MODULES)
    ]
    return sorted(found, key=lambda cls: (cls.topic, cls.event_type))


def _open_content(node: Any) -> Any:
    """Drop `additionalProperties: false`: readers tolerate fields added later."""
    if isinstance(node, dict):
        return {
            key: _open_content(value)
            for key, value in node.items()
            if not (key == "additionalProperties" and value is False)
        }
    if isinstance(node, list):
        return [_open_content(item) for item in node]
    return node


def event_schema(cls: type[DomainEvent]) -> dict[str, Any]:
    """JSON Schema 2020-12 of the `data` of one event type at its current version."""
    generated = cls.model_json_schema(mode="serialization")
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": cls.event_type,
        "x-canlian-topic": cls.topic,
        "x-canlian-schema-version": cls.schema_version,
        "x-canlian-subject-field": cls.subject_field,
    }
    schema.update(_open_content(generated))
    schema["title"] = f"{cls.event_type} v{cls.schema_version}"
    schema["description"] = (cls.__doc__ or cls.event_type).strip()
    return schema


def schema_relative_path(event_type: str, version: int) -> str:
    return f"schemas/{event_type}/v{version}.json"


def _versions(cls: type[DomainEvent]) -> list[int]:
    """The versions published: the current one, then the earlier ones still beside it."""
    return [cls.schema_version, *sorted(cls.earlier_versions, reverse=True)]


def _message_key(cls: type[DomainEvent], version: int) -> str:
    return cls.event_type if version == cls.schema_version else f"{cls.event_type}.v{version}"


def _message_name(cls: type[DomainEvent], version: int) -> str:
    return cls.__name__ if version == cls.schema_version else f"{cls.__name__}V{version}"


def _message(cls: type[DomainEvent], version: int) -> dict[str, Any]:
    summary = (cls.__doc__ or cls.event_type).strip().splitlines()[0]
    if version != cls.schema_version:
        summary = (
            f"v{version} of {cls.event_type}, published beside v{cls.schema_version} (same "
            "id) until the migration period ends: " + summary
        )
    return {
        "name": _message_name(cls, version),
        "title": f"{cls.event_type} v{version}",
        "summary": summary,
        "contentType": "application/cloudevents+json",
        "headers": {"$ref": "#/components/schemas/KafkaHeaders"},
        "payload": {
            "allOf": [
                {"$ref": "#/components/schemas/CloudEvent"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": cls.event_type},
                        "dataschema": {
                            "type": "string",
                            "description": "ends with " + schema_url(cls.event_type, version),
                        },
                        "subject": {"description": f"the event's `{cls.subject_field}`"},
                        "data": {"$ref": schema_relative_path(cls.event_type, version)},
                    },
                },
            ]
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "the `partitionkey` extension"},
                "bindingVersion": "0.5.0",
            }
        },
    }


_CLOUD_EVENT: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0, JSON event format (structured mode): the record value.",
    "required": ["specversion", "id", "source", "type", "subject", "time", "dataschema", "data"],
    "properties": {
        "specversion": {"const": "1.0"},
        "id": {"type": "string", "description": "unique per event; consumers deduplicate by it"},
        "source": {"type": "string", "description": "/canlian/<service>"},
        "type": {"type": "string"},
        "subject": {"type": "string", "description": "the entity the event is about"},
        "time": {"type": "string", "format": "date-time"},
        "datacontenttype": {"const": "application/json"},
        "dataschema": {"type": "string", "format": "uri-reference"},
        "partitionkey": {
            "type": "string",
            "description": "Partitioning extension: the Kafka record key (one entity's "
            "events stay in order)",
        },
        "traceparent": {
            "type": "string",
            "description": "Distributed Tracing extension: W3C traceparent of the request "
            "that caused the event",
        },
        "data": {"type": "object"},
    },
}

_KAFKA_HEADERS: dict[str, Any] = {
    "type": "object",
    "properties": {"content-type": {"const": STRUCTURED_CONTENT_TYPE}},
}


def asyncapi() -> dict[str, Any]:
    """AsyncAPI 3.0: a channel per topic, a message per event type."""
    by_topic: dict[str, list[type[DomainEvent]]] = {}
    for cls in platform_events():
        by_topic.setdefault(cls.topic, []).append(cls)
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic, classes in by_topic.items():
        channels[topic] = {
            "address": topic,
            "description": (
                f"Kafka topic {topic}: CloudEvents, structured mode, key = partitionkey."
            ),
            "messages": {
                _message_name(cls, version): {
                    "$ref": f"#/components/messages/{_message_key(cls, version)}"
                }
                for cls in classes
                for version in _versions(cls)
            },
        }
        operations[f"publish.{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "messages": [
                {"$ref": f"#/channels/{topic}/messages/{_message_name(cls, version)}"}
                for cls in classes
                for version in _versions(cls)
            ],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Canlian events",
            "version": "1.0.0",
            "description": "Past-tense events of the Canlian services, published through a "
            "transactional outbox. Consumers deduplicate by `id`, order by `data.version` "
            "and ignore fields they do not know. See docs/events/README.md.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": {
                "CloudEvent": copy.deepcopy(_CLOUD_EVENT),
                "KafkaHeaders": copy.deepcopy(_KAFKA_HEADERS),
            },
            "messages": {
                _message_key(cls, version): _message(cls, version)
                for cls in platform_events()
                for version in _versions(cls)
            },
        },
    }


def asyncapi_yaml() -> str:
    return yaml.safe_dump(asyncapi(), sort_keys=False, allow_unicode=True, width=100)


def schema_text(cls: type[DomainEvent]) -> str:
    return json.dumps(event_schema(cls), ensure_ascii=False, indent=2) + "\n"


def generated_files() -> dict[str, str]:
    """Relative path under docs/events/ -> content, for the current versions."""
    files = {"asyncapi.yaml": asyncapi_yaml()}
    for cls in platform_events():
        files[schema_relative_path(cls.event_type, cls.schema_version)] = schema_text(cls)
    return files


def find_current(event_type: str, version: int) -> type[DomainEvent] | None:
    cls = DomainEvent.registry.get(event_type)
    if cls is None or not cls.__module__.startswith(_EVENT_MODULES):
        return None
    return cls if cls.schema_version == version else None


def committed_schemas(root: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """(type, version) -> schema of every file under root/schemas (older versions too)."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for path in sorted((root / "schemas").glob("*/v*.json")):
        version = int(path.stem.removeprefix("v"))
        found[(path.parent.name, version)] = json.loads(path.read_text(encoding="utf-8"))
    return found


__all__ = [
    "JSON_SCHEMA_DIALECT",
    "REGENERATE",
    "SCHEMA_PATH",
    "asyncapi",
    "asyncapi_yaml",
    "committed_schemas",
    "event_schema",
    "find_current",
    "generated_files",
    "platform_events",
    "schema_relative_path",
]
