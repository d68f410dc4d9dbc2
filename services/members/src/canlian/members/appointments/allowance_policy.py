"""A region's post rule changed (`allowances.village_public_welfare_posts`, seeds 000 and 004):
the committee members held under it are judged again by the rule in force on today's business
date, and each whose minimum or compliance moves gets a new version and its event, as a new
allowance minimum does, so the members report and the metrics indicator move together."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.events.members import PostLevel
from canlian.common.policy_values.service import Change
from canlian.common.runtime import ServiceRuntime
from canlian.members.appointments.allowances import AllowancePolicy
from canlian.members.appointments.service import recheck_compliance

PARAMETERS = frozenset({policy.VILLAGE_PUBLIC_WELFARE_POSTS})
"""The members parameters an appointment's allowance compliance reads."""


async def reevaluate_allowances(
    session: AsyncSession, runtime: ServiceRuntime, change: Change
) -> tuple[int, int]:
    """(village committee members re-checked, those whose outcome changed)."""
    rules = await AllowancePolicy.load(session, change.values)
    return await recheck_compliance(
        session,
        runtime,
        change.division_code,
        rules,
        change.principal.subject,
        PostLevel.VILLAGE,
    )
