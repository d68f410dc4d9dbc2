"""Which target applies to a region."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from canlian.common import divisions
from canlian.metrics.plans.models import PlanTarget


def deepest(targets: Iterable[PlanTarget], lineage: Sequence[str]) -> dict[str, PlanTarget]:
    """Per indicator, the target that applies to the region `lineage[0]`: the one set nearest
    it (inheritance with overrides); on the same region, one for its level beats a general one."""
    depth = {code: index for index, code in enumerate(lineage)}
    level = int(divisions.level_of(lineage[0]))
    chosen: dict[str, PlanTarget] = {}
    ranks: dict[str, tuple[int, int]] = {}
    for target in targets:
        if target.division_code not in depth:
            continue
        if target.applies_to_level not in (0, level):
            continue
        rank = (depth[target.division_code], 0 if target.applies_to_level else 1)
        current = ranks.get(target.indicator_code)
        if current is None or rank < current:
            chosen[target.indicator_code] = target
            ranks[target.indicator_code] = rank
    return chosen
