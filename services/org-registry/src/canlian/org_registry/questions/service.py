"""Which villages the coverage questions count: the regions' policy leaves virtual communities
out unless it counts them (rules.denominators, read on the question's date), as the members
staffing report and the metrics denominators do."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.business_day import china_today
from canlian.common.rules import denominators
from canlian.org_registry.policies.repository import registry_values
from canlian.org_registry.questions import repository


async def excluded_villages(session: AsyncSession, within: str, as_of: date | None) -> list[str]:
    """The virtual communities under `within` left out of the coverage on `as_of` (today)."""
    on = as_of or china_today()
    values = await registry_values(session)
    return [
        code
        for code in await repository.governed_villages(session, within, as_of)
        if not denominators.counts(code, on, values)
    ]
