"""The visit schedule a household's special-difficulty flags set (002: 定期访视): the
shortest interval among its flags, as the region's policy sets it on the day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.events.needs import DifficultyFlag
from canlian.needs.policies.repository import effective

INTERVALS: dict[DifficultyFlag, policy.Parameter] = {
    DifficultyFlag.MULTIPLE_DISABLED: policy.VISIT_DAYS_MULTIPLE_DISABLED,
    DifficultyFlag.ELDERLY_DISABLED: policy.VISIT_DAYS_ELDERLY_DISABLED,
    DifficultyFlag.SEVERE: policy.VISIT_DAYS_SEVERE,
    DifficultyFlag.LIVING_ALONE: policy.VISIT_DAYS_LIVING_ALONE,
}


def effective_flags(
    declared: Iterable[DifficultyFlag], disabled_members: int, elderly_disabled: bool
) -> list[DifficultyFlag]:
    """The declared flags and those the members imply: two or more disabled members are
    一户多残; an elderly member beside a disabled one is 老残一体."""
    flags = set(declared)
    if disabled_members >= 2:
        flags.add(DifficultyFlag.MULTIPLE_DISABLED)
    if elderly_disabled:
        flags.add(DifficultyFlag.ELDERLY_DISABLED)
    return sorted(flags)


async def interval_days(
    session: AsyncSession, flags: Iterable[DifficultyFlag], division_code: str, on: date
) -> int | None:
    """Days between visits, or None for a household no flag asks to visit regularly."""
    days = [
        int((await effective(session, INTERVALS[flag], division_code, on))[0])
        for flag in sorted(set(flags))
    ]
    return min(days) if days else None


def next_due(
    interval: int | None, registered_on: date, last_visited_on: date | None
) -> date | None:
    if interval is None:
        return None
    return (last_visited_on or registered_on) + timedelta(days=interval)
