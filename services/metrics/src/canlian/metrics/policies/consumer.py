"""Consumer `metrics-policy-values`: the owners' PolicyValueSet events into the copy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events import members, org_registry
from canlian.common.events.base import CloudEvent
from canlian.common.policy_values.read_model import keep_values
from canlian.common.runtime import ConsumerSpec
from canlian.metrics.policies.models import POLICY_VALUES

CONSUMER = "metrics-policy-values"


async def apply_policy_values(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    await keep_values(session, POLICY_VALUES, events)


# The owners announce their values on their own topics.
POLICY_VALUES_CONSUMER = ConsumerSpec(
    CONSUMER, [members.TOPIC, org_registry.TOPIC], apply_policy_values
)
