"""The regional values the needs rules read (visit intervals, petition deadlines), kept by the
kit's policy values (`/v1/policies`), resolved as every owner resolves them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.policy_values import repository
from canlian.needs.policies.models import POLICY_VALUES

OWNER = "needs"


async def effective(
    session: AsyncSession, parameter: policy.Parameter, division_code: str, on: date
) -> tuple[Decimal, str | None]:
    """The value in force for the division on the date and the region that set it."""
    values = await repository.lineage_values(session, POLICY_VALUES, parameter.name, division_code)
    return policy.effective(parameter, values, division_code, on)
