"""Which target applies to a region.

A rate target (>= 100% coverage) applies to every region below the one it was set on. A count
target (>= 650 volunteers) belongs to the region it was set on: it reaches a region below only
when it was set for that region's level (`applies_to`: >= 30 in each county), or when it is
apportioned by a rule, and then with that region's share, never the whole figure again."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from canlian.common import divisions
from canlian.metrics.plans.models import PlanTarget

APPORTION_BY_VILLAGES = "villages"

# The counter the "villages" rule divides by: villages and communities below a region.
VILLAGES_COUNTER = "divisions.village"


def reaches(target: PlanTarget, region: str, count_indicators: Collection[str]) -> bool:
    """Whether `target` (set on `region` or above it) can apply to `region` at all."""
    if target.division_code == region or target.applies_to_level:
        return True
    return target.indicator_code not in count_indicators or target.apportionment is not None


def deepest(
    targets: Iterable[PlanTarget],
    lineage: Sequence[str],
    count_indicators: Collection[str] = (),
) -> dict[str, PlanTarget]:
    """Per indicator, the target that applies to the region `lineage[0]`: the one set nearest
    it (inheritance with overrides); on the same region, one for its level beats a general one.
    `count_indicators`: codes of indicators whose targets are counts (not inherited whole)."""
    depth = {code: index for index, code in enumerate(lineage)}
    level = int(divisions.level_of(lineage[0]))
    chosen: dict[str, PlanTarget] = {}
    ranks: dict[str, tuple[int, int]] = {}
    for target in targets:
        if target.division_code not in depth:
            continue
        if target.applies_to_level not in (0, level):
            continue
        if not reaches(target, lineage[0], count_indicators):
            continue
        rank = (depth[target.division_code], 0 if target.applies_to_level else 1)
        current = ranks.get(target.indicator_code)
        if current is None or rank < current:
            chosen[target.indicator_code] = target
            ranks[target.indicator_code] = rank
    return chosen


def share_of(target: PlanTarget, region: str, villages: Mapping[str, int]) -> float | None:
    """The part of an apportioned target that falls to `region` (1.0 on the region it was set
    on, or when it is not apportioned); None when the rule cannot be applied (no villages)."""
    if target.apportionment is None or target.division_code == region:
        return 1.0
    whole = villages.get(target.division_code, 0)
    if whole <= 0:
        return None
    return villages.get(region, 0) / whole
