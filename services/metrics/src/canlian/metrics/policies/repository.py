"""The regional values metrics has been told of."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.policy_values import repository
from canlian.metrics.policies.models import POLICY_VALUES


async def values_of(session: AsyncSession, parameters: Iterable[policy.Parameter]) -> policy.Values:
    return await repository.values_of(
        session, POLICY_VALUES, [parameter.name for parameter in parameters]
    )
