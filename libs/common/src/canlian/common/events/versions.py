"""Earlier versions of an event type, published beside the current one while consumers move.

An event type whose data changed incompatibly (v2) keeps its earlier version on the wire
for a migration period: the relay publishes each record once per version, with the same
CloudEvents `id` (it is one event), each with its own `dataschema`. A consumer picks the
version it reads by `dataschema`, or reads all and deduplicates by `id`, as it must anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from canlian.common.events.base import DomainEvent, Downgrade, with_version


def integer_ids(fields: Iterable[str]) -> Downgrade:
    """v1 of the types whose v2 made ids strings (as REST answers them): the same data with
    those ids as integers."""
    names = frozenset(fields)

    def downgrade(data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            key: int(value) if key in names and value is not None else value
            for key, value in data.items()
        }

    return downgrade


def earlier_envelopes(event_type: str, envelope: str) -> list[str]:
    """The record values of the event's earlier versions still published (none for most
    types), oldest first, from the current version's structured-mode envelope."""
    cls = DomainEvent.registry.get(event_type)
    if cls is None or not cls.earlier_versions:
        return []
    current = json.loads(envelope)
    found = []
    for version, downgrade in sorted(cls.earlier_versions.items()):
        earlier = {
            **current,
            "dataschema": with_version(current["dataschema"], version),
            "data": downgrade(current["data"]),
        }
        found.append(json.dumps(earlier, ensure_ascii=False, separators=(",", ":")))
    return found
