"""Queries of policy values. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.needs.policies.models import PolicyValue


async def values_along(
    session: AsyncSession, parameter: str, lineage: Sequence[str]
) -> list[PolicyValue]:
    rows = await session.scalars(
        select(PolicyValue).where(
            PolicyValue.parameter == parameter, PolicyValue.division_code.in_(list(lineage))
        )
    )
    return list(rows)


async def get(
    session: AsyncSession, parameter: str, division_code: str, effective_from: date
) -> PolicyValue | None:
    row: PolicyValue | None = await session.get(
        PolicyValue, (parameter, division_code, effective_from)
    )
    return row
