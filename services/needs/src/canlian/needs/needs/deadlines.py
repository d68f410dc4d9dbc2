"""Due dates of a need's steps: a petition's statutory deadlines from the regional policy
(信访工作条例: accepted or not within 15 days, closed within 60 days of acceptance), every
other step within the service's step days."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.needs.policies.repository import effective


async def petition_acceptance_due(
    session: AsyncSession, division_code: str, received_on: date
) -> date:
    days, _ = await effective(session, policy.PETITION_ACCEPTANCE_DAYS, division_code, received_on)
    return received_on + timedelta(days=int(days))


async def petition_closing_due(
    session: AsyncSession, division_code: str, accepted_on: date
) -> date:
    days, _ = await effective(session, policy.PETITION_CLOSING_DAYS, division_code, accepted_on)
    return accepted_on + timedelta(days=int(days))
