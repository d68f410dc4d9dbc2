"""The event contract: past-tense, versioned payloads carried in CloudEvents 1.0 envelopes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

EVENT_TYPE_PREFIX = "cn.canlian."


class DomainEvent(BaseModel):
    """Base of every event payload.

    A subclass names its CloudEvents `type` (e.g. "cn.canlian.cards.card.issued"), its topic,
    the field holding the entity id (the CloudEvents subject, and the Kafka key so one
    entity's events stay in order), and its schema version. Every payload carries the
    entity's `version` after the change so consumers can ignore stale events.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    topic: ClassVar[str]
    subject_field: ClassVar[str]
    schema_version: ClassVar[int] = 1

    registry: ClassVar[dict[str, type[DomainEvent]]] = {}

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
    def dataschema(cls) -> str:
        return f"urn:canlian:events:{cls.event_type}:v{cls.schema_version}"


class CloudEvent(BaseModel):
    """CloudEvents 1.0, structured JSON mode."""

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

    @classmethod
    def wrap(cls, event: DomainEvent, *, source: str) -> CloudEvent:
        return cls(
            source=source,
            type=event.event_type,
            subject=event.subject,
            dataschema=event.dataschema(),
            data=event.model_dump(mode="json"),
        )

    def payload(self) -> DomainEvent:
        """The typed payload; raises KeyError for an event type this build does not know."""
        return DomainEvent.registry[self.type].model_validate(self.data)

    @property
    def known(self) -> bool:
        return self.type in DomainEvent.registry
