"""Commendation rules without storage: each programme's cycle parameter, whether a year is due
given the rounds a region held, and who approves a nomination."""

from __future__ import annotations

from collections.abc import Iterable

from canlian.common import divisions, policy
from canlian.common.events.org_registry import CommendationProgramme

CYCLES: dict[CommendationProgramme, policy.Parameter] = {
    CommendationProgramme.SELF_RELIANCE: policy.SELF_RELIANCE_CYCLE_YEARS,
    CommendationProgramme.CARING: policy.CARING_CYCLE_YEARS,
}
CYCLE_PARAMETER_NAMES = frozenset(parameter.name for parameter in CYCLES.values())

PROGRAMME_ZH: dict[CommendationProgramme, str] = {
    CommendationProgramme.SELF_RELIANCE: "自强系列评选",
    CommendationProgramme.CARING: "爱心(助残)系列评选",
}

EARLIEST_YEAR = 2000


def blocking_year(year: int, held: Iterable[int], cycle: int) -> int | None:
    """A year the region already held a round in that lies closer than the cycle to `year`
    (before or after it), or None when `year` is due: once in `cycle` years."""
    closest = sorted(held, key=lambda other: (abs(other - year), other))
    for other in closest:
        if abs(other - year) < cycle:
            return other
        break
    return None


def may_approve(approver_region: str, nominating_division: str) -> bool:
    """Only a level above the nominating federation approves: its region contains the
    nominator's and is not the same one."""
    return approver_region != nominating_division and divisions.is_within(
        nominating_division, approver_region
    )
