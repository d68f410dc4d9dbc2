"""The regional values the members rules read."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.policy_values import repository
from canlian.common.rules import denominators
from canlian.members.policies.models import POLICY_VALUES

OWNER = "members"


async def members_values(session: AsyncSession) -> policy.Values:
    """Every stored value of the parameters members owns (seats)."""
    return await repository.values_of(
        session, POLICY_VALUES, [parameter.name for parameter in policy.owned_by(OWNER)]
    )


async def denominator_values(session: AsyncSession) -> policy.Values:
    """The registry's values of whether development zones and virtual communities count as
    places (rules.denominators), kept from its PolicyValueSet events."""
    return await repository.values_of(
        session, POLICY_VALUES, [parameter.name for parameter in denominators.PARAMETERS]
    )
