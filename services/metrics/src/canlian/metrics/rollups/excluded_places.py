"""Divisions the region's policy leaves out of the denominators (rules.denominators:
development zones, virtual communities). A loaded division counts itself at its level; a
governed one also has an *exclusion* entity that contributes -1 to the same counter on the
days its region's policy leaves it out, so every denominator built on `divisions.<level>`
(staffing, coverage, paid members) drops it from that business date on, and closes the
division's gate (mappers.LEFT_OUT) for those days: its tallies (a member at work, an
association covering it) stay as the facts are, but yield no presence, so the numerators over
those denominators drop it too.

The exclusion entity's steps are restated in full from the policy values metrics keeps
(policies.models), on each load and whenever a PolicyValueSet of a governing parameter
arrives; a value for a later date is journaled when it comes into force (`bring_into_force`,
the daily run), as a business date never moves the live totals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions, policy
from canlian.common.db.metadata import utcnow
from canlian.common.rules import denominators
from canlian.metrics.contributions.divisions import DIVISIONS
from canlian.metrics.contributions.mappers import LEFT_OUT, BusinessDates, Contribution
from canlian.metrics.days import BEIJING
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.hierarchy import LEVEL_NAMES
from canlian.metrics.policies import repository as policies_repository
from canlian.metrics.rollups import repository
from canlian.metrics.rollups.engine import ApplyResult, Change, apply_changes

EXCLUSION_PREFIX = "denominator-policy:"
SOURCE = "denominator-policy"
PARAMETER_NAMES = frozenset(parameter.name for parameter in denominators.PARAMETERS)


def exclusion_key(code: str) -> str:
    return f"{EXCLUSION_PREFIX}{code}"


def exclusion(code: str) -> Contribution:
    """What a division left out contributes: minus its own count at its level, and its gate
    closed (mappers.LEFT_OUT), so that none of its tallies counts in a numerator either."""
    return {
        (code, f"{DIVISIONS}.{LEVEL_NAMES[divisions.level_of(code)]}"): -1,
        (code, LEFT_OUT): 1,
    }


def exclusion_changes(
    codes: Iterable[str],
    values: policy.Values,
    versions: dict[str, int],
    counted_from: date,
    today: date,
) -> list[Change]:
    """The changes that restate each governed division's exclusion from `counted_from` to
    `today`, one per day its answer changes (versions after the stored one)."""
    now = utcnow()
    found: list[Change] = []
    for code in codes:
        if not denominators.governed(code):
            continue
        key = exclusion_key(code)
        base = versions.get(key, 0)
        steps = [
            step
            for step in denominators.change_days(code, values, counted_from)
            if step[0] <= today
        ]
        for offset, (day, counted) in enumerate(steps, 1):
            found.append(
                Change(
                    key,
                    base + offset,
                    {} if counted else exclusion(code),
                    SOURCE,
                    now,
                    dates=BusinessDates(since=day),
                )
            )
    return found


async def restate(
    session: AsyncSession,
    codes: Sequence[str],
    counted_from: date,
    *,
    only_new: bool = False,
) -> ApplyResult:
    """Restate the exclusions of these divisions from the policy values in force (`only_new`:
    only those without one yet, as a division load does)."""
    governed = [code for code in codes if denominators.governed(code)]
    if not governed:
        return ApplyResult()
    versions = await repository.entity_versions(session, [exclusion_key(code) for code in governed])
    if only_new:
        governed = [code for code in governed if exclusion_key(code) not in versions]
    values = await policies_repository.values_of(session, denominators.PARAMETERS)
    today = utcnow().astimezone(BEIJING).date()
    return await apply_changes(
        session, exclusion_changes(governed, values, versions, counted_from, today)
    )


async def changes_from_start(
    session: AsyncSession, codes: Sequence[str], counted_from: date
) -> list[Change]:
    """A rebuild's exclusions: each governed division's from the policy values kept."""
    values = await policies_repository.values_of(session, denominators.PARAMETERS)
    today = utcnow().astimezone(BEIJING).date()
    return exclusion_changes(codes, values, {}, counted_from, today)


async def reevaluate_region(
    session: AsyncSession, division_code: str, counted_from: date
) -> ApplyResult:
    """A value of a governing parameter was set for the region: restate every governed
    division below it that metrics has loaded."""
    codes = await divisions_repository.governed_codes_within(
        session, divisions.prefix(division_code)
    )
    return await restate(session, codes, counted_from)
