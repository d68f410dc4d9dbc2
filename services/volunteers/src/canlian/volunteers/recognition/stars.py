"""Star levels (星级): cumulative confirmed hours against the thresholds of the nearest
region with a policy; stars are never taken back."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.events.volunteers import StarLevelReached
from canlian.volunteers.context import Context
from canlian.volunteers.recognition import repository
from canlian.volunteers.recognition.models import StarPolicy
from canlian.volunteers.recognition.problems import ThresholdsNotIncreasing
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.service import snapshot, touch

DEFAULT_STAR_THRESHOLDS = (100, 300, 600, 1000, 1500)


def star_level_for(hours: float, thresholds: Sequence[int]) -> int:
    return sum(1 for threshold in thresholds if hours >= threshold)


async def effective_thresholds(
    session: AsyncSession, division_code: str
) -> tuple[list[int], str | None]:
    """The nearest ancestor's star policy (the division's own first), else the default."""
    lineage = divisions.lineage(division_code)
    policies: dict[str, StarPolicy] = {
        policy.division_code: policy
        for policy in await repository.star_policies_for(session, lineage)
    }
    for code in lineage:
        policy = policies.get(code)
        if policy is not None:
            return thresholds_of(policy), code
    return list(DEFAULT_STAR_THRESHOLDS), None


async def own_policy_version(session: AsyncSession, division_code: str) -> int | None:
    """The version of the region's own policy (what a PUT replaces); None when it inherits."""
    policy = await repository.get_star_policy(session, division_code)
    return policy.version if policy is not None else None


def thresholds_of(policy: StarPolicy) -> list[int]:
    return [
        policy.star1_hours,
        policy.star2_hours,
        policy.star3_hours,
        policy.star4_hours,
        policy.star5_hours,
    ]


async def set_star_policy(
    context: Context,
    principal: Principal,
    division_code: str,
    thresholds: Sequence[int],
    precondition: Precondition,
) -> StarPolicy:
    """A region's own policy: a new one needs no If-Match, replacing one names its version."""
    principal.ensure_covers(division_code)
    if thresholds[0] <= 0 or any(
        later <= earlier for earlier, later in itertools.pairwise(thresholds)
    ):
        raise ThresholdsNotIncreasing()
    policy = await repository.get_star_policy(context.session, division_code, lock=True)
    precondition.check_if_present(policy.version if policy is not None else None)
    if policy is None:
        policy = StarPolicy(division_code=division_code, version=1)
        context.session.add(policy)
    else:
        policy.version += 1
    (
        policy.star1_hours,
        policy.star2_hours,
        policy.star3_hours,
        policy.star4_hours,
        policy.star5_hours,
    ) = thresholds
    policy.updated_by = principal.subject
    policy.updated_at = utcnow()
    await context.session.flush()
    return policy


async def recognise(context: Context, volunteer: Volunteer) -> None:
    """Raise the star level when confirmed hours cross a threshold; stars are never taken
    back, also when a region raises its thresholds later."""
    thresholds, source = await effective_thresholds(context.session, volunteer.division_code)
    level = star_level_for(volunteer.confirmed_minutes / 60, thresholds)
    if level <= volunteer.star_level:
        return
    previous = volunteer.star_level
    volunteer.star_level = level
    touch(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session,
        StarLevelReached(
            **snapshot(volunteer).model_dump(),
            previous_star_level=previous,
            threshold_hours=thresholds[level - 1],
            policy_division_code=source,
        ),
    )
