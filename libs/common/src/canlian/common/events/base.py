"""The event contract: past-tense, versioned payloads carried in CloudEvents 1.0 envelopes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

EVENT_TYPE_PREFIX = "cn.canlian."
SCHEMA_PATH = "/events/schemas"
"""Where every service serves the catalogue: `{SCHEMA_PATH}/<type>/v<version>.json`."""

READING: dict[str, Any] = {"canlian_reading": True}
"""Validation context of a consumer: unknown fields (a producer's additive change) are
dropped instead of refused. Producers build events without it and stay strict."""


class EventModel(BaseModel):
    """Base of event payloads and the snapshots inside them: strict (`extra="forbid"`) for
    producers, tolerant of unknown fields when validated with the `READING` context."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_unknown_when_reading(cls, data: Any, info: ValidationInfo) -> Any:
        if not (info.context or {}).get("canlian_reading") or not isinstance(data, dict):
            return data
        known = set(cls.model_fields)
        known.update(field.alias for field in cls.model_fields.values() if field.alias)
        return {key: value for key, value in data.items() if key in known}


def schema_url(event_type: str, schema_version: int, base_url: str = "") -> str:
    """The catalogue's URL of one event type's schema (relative when no base is given)."""
    return f"{base_url.rstrip('/')}{SCHEMA_PATH}/{event_type}/v{schema_version}.json"


_SCHEMA_VERSION = re.compile(r"/v([1-9][0-9]{0,3})\.json$")


def version_of_schema(dataschema: str) -> int | None:
    """The version a `dataschema` URL names (`…/v2.json` -> 2), None if it names none."""
    found = _SCHEMA_VERSION.search(dataschema)
    return int(found.group(1)) if found else None


def with_version(dataschema: str, version: int) -> str:
    """The same catalogue URL, for another version of the type."""
    return _SCHEMA_VERSION.sub(f"/v{version}.json", dataschema)


Downgrade = Callable[[Mapping[str, Any]], dict[str, Any]]
"""The `data` of an earlier version, written from the current version's `data`."""


class DomainEvent(EventModel):
    """Base of every event payload.

    A subclass names its CloudEvents `type` (e.g. "cn.canlian.cards.card.issued"), its topic,
    the field holding the entity id (the CloudEvents subject, and the Kafka key so one
    entity's events stay in order), and its schema version. Every payload carries the
    entity's `version` after the change so consumers can ignore stale events, and, when
    the fact has a date of its own earlier than the event (an imported or back-dated fact),
    that date as `effective_on`, so history counts it from then.
    """

    event_type: ClassVar[str]
    topic: ClassVar[str]
    subject_field: ClassVar[str]
    schema_version: ClassVar[int] = 1
    earlier_versions: ClassVar[Mapping[int, Downgrade]] = {}
    """Earlier schema versions still published beside the current one during their migration
    period (the setting `events_earlier_versions_until`): the same event, with the same id,
    in the shape that version had. Readers take every version (the model's validators accept
    the earlier shapes) and deduplicate by id, so a fact counts once."""

    registry: ClassVar[dict[str, type[DomainEvent]]] = {}

    effective_on: date | None = Field(
        default=None,
        # Left out when the event's time is the fact's date: such payloads stay as they were.
        exclude_if=lambda value: value is None,
        description="业务日期:所述事实生效之日(中国时间),早于事件时间时才写,如导入或补录的事实;"
        "为空即事件时间 / the business date the snapshot's state took effect (China time), "
        "stated when earlier than the event's time (imported and back-dated facts); null "
        "means the event's time",
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            if not cls.event_type.startswith(EVENT_TYPE_PREFIX):
                raise TypeError(f"{cls.__name__}: event_type must start with {EVENT_TYPE_PREFIX}")
            if cls.event_type in DomainEvent.registry:
                raise TypeError(f"event type {cls.event_type} declared twice")
            DomainEvent.registry[cls.event_type] = cls

    @property
    def subject(self) -> str:
        return str(getattr(self, self.subject_field))

    @classmethod
    def dataschema(cls, base_url: str = "") -> str:
        return schema_url(cls.event_type, cls.schema_version, base_url)


class CloudEvent(BaseModel):
    """CloudEvents 1.0, structured JSON mode (the Kafka record's value).

    Extensions: `partitionkey` (the Kafka record key, the Partitioning extension) and
    `traceparent` (W3C Trace Context of the request that caused the event, the Distributed
    Tracing extension). Both are optional, so envelopes written before them still read;
    attributes this build does not know are ignored.
    """

    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str
    data: dict[str, Any]
    partitionkey: str | None = None
    traceparent: str | None = None

    @classmethod
    def wrap(
        cls,
        event: DomainEvent,
        *,
        source: str,
        partition_key: str | None = None,
        traceparent: str | None = None,
        schema_base_url: str = "",
    ) -> CloudEvent:
        return cls(
            source=source,
            type=event.event_type,
            subject=event.subject,
            dataschema=event.dataschema(schema_base_url),
            data=event.model_dump(mode="json"),
            partitionkey=partition_key or event.subject,
            traceparent=traceparent,
        )

    def to_json(self) -> str:
        """The structured-mode record value (absent extensions left out, not null)."""
        return self.model_dump_json(exclude_none=True)

    def payload(self) -> DomainEvent:
        """The typed payload, read tolerantly: fields this build does not know are dropped.

        Raises KeyError for an event type this build does not know."""
        return DomainEvent.registry[self.type].model_validate(self.data, context=READING)

    @property
    def known(self) -> bool:
        return self.type in DomainEvent.registry

    @property
    def schema_version(self) -> int | None:
        return version_of_schema(self.dataschema)
