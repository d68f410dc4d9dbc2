"""Consumer `metrics-policy-values`: the owners' PolicyValueSet events into the copy; a value
of a parameter that decides the denominators (rules.denominators) restates them below the
region at once (rollups.excluded_places), as the owners re-evaluate what theirs govern. It sits with
the rollups because it restates them (rollups read the policies, never the other way)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events import members, org_registry
from canlian.common.events.base import CloudEvent
from canlian.common.events.policies import PolicyValueFields
from canlian.common.policy_values.read_model import keep_values
from canlian.common.runtime import ConsumerSpec
from canlian.metrics.days import BEIJING
from canlian.metrics.policies.models import POLICY_VALUES
from canlian.metrics.rollups import excluded_places
from canlian.metrics.rollups.denominators import DIVISIONS_COUNTED_FROM

CONSUMER = "metrics-policy-values"


def denominator_regions(events: Sequence[CloudEvent]) -> list[str]:
    """The regions whose denominators the events' values may change, each once."""
    found: list[str] = []
    for envelope in events:
        if not envelope.known:
            continue
        payload = envelope.payload()
        if (
            isinstance(payload, PolicyValueFields)
            and payload.parameter in excluded_places.PARAMETER_NAMES
            and payload.division_code not in found
        ):
            found.append(payload.division_code)
    return found


async def apply_policy_values(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    await keep_values(session, POLICY_VALUES, events)
    for region in denominator_regions(events):
        await excluded_places.reevaluate_region(
            session, region, DIVISIONS_COUNTED_FROM.astimezone(BEIJING).date()
        )


# The owners announce their values on their own topics.
POLICY_VALUES_CONSUMER = ConsumerSpec(
    CONSUMER, [members.TOPIC, org_registry.TOPIC], apply_policy_values
)
