"""From an event to the entity changes it makes, or the reason to park it."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

import pydantic_core
from pydantic import ValidationError

from canlian.common.db.metadata import utcnow
from canlian.common.events.base import READING, CloudEvent, DomainEvent
from canlian.metrics.contributions.mappers import MAPPERS, InvalidDivisionInEvent
from canlian.metrics.rollups.engine import Change
from canlian.metrics.rollups.observability import PARKED_EVENTS, ROLLUP_EVENTS

logger = logging.getLogger("canlian.metrics")


# ".../<type>/v2.json" (the catalogue's URL), or "urn:...:v2" as events were first written.
_DATASCHEMA_VERSION = re.compile(r"(?::v|/v)(\d+)(?:\.json)?$")


def park(event: CloudEvent, reason: str) -> dict[str, Any]:
    PARKED_EVENTS.labels(reason).inc()
    ROLLUP_EVENTS.labels("parked").inc()
    # The type and id only: payloads may hold names, never logged.
    logger.warning(
        "event parked (%s): %s",
        reason,
        event.type,
        extra={"event_id": event.id, "event_type": event.type, "reason": reason},
    )
    return {
        "event_id": event.id,
        "event_type": event.type[:200],
        "dataschema": event.dataschema[:300],
        "reason": reason,
        "envelope": event.model_dump_json(),
        "parked_at": utcnow(),
    }


def classify(event: CloudEvent) -> list[Change] | str:
    """The entity changes of an event, or the reason to park it; an event no indicator
    depends on gives no change."""
    return _classify(event.type, event.dataschema, event.data, event.time)


def _classify(
    event_type: str, dataschema: str, data: dict[str, Any], occurred_at: datetime
) -> list[Change] | str:
    event_class = DomainEvent.registry.get(event_type)
    if event_class is None:
        return "unknown-type"
    match = _DATASCHEMA_VERSION.search(dataschema)
    if match is None:
        return "unknown-schema"
    if int(match.group(1)) > event_class.schema_version:
        return "newer-schema-version"
    function = MAPPERS.get(event_type)
    if function is None:
        return []
    try:
        payload = event_class.model_validate(data, context=READING)
        mapped = function(payload)
    except ValidationError:
        return "invalid-payload"
    except InvalidDivisionInEvent:
        return "invalid-division"
    return [
        Change(
            entity_key=item.entity_key,
            version=item.version,
            contribution=item.contribution,
            source=event_type,
            occurred_at=occurred_at,
            division=item.division,
            # The fact's own date, when the event states one the mapper did not replace.
            dates=item.dates
            if item.dates.since is not None or payload.effective_on is None
            else replace(item.dates, since=payload.effective_on),
        )
        for item in (mapped if isinstance(mapped, list) else [mapped])
    ]


def classify_message(value: bytes) -> list[Change] | CloudEvent | None:
    """`classify` straight from a message of the log, for replays: the envelope is read as
    plain JSON (the payload is still fully validated). Returns the event itself when it must
    be parked, None when the message is not an event at all."""
    try:
        envelope = pydantic_core.from_json(value)
        outcome = _classify(
            envelope["type"],
            envelope["dataschema"],
            envelope["data"],
            datetime.fromisoformat(envelope["time"]),
        )
    except (ValueError, KeyError, TypeError):
        outcome = "malformed"
    if isinstance(outcome, list):
        return outcome
    try:
        return CloudEvent.model_validate_json(value)
    except ValidationError:
        return None
