"""The talent pool's targets: 80 people in a city, 30 in a county."""

from __future__ import annotations

from canlian.common import divisions


def talent_pool_target(region: str) -> int | None:
    level = divisions.level_of(region)
    if level == divisions.DivisionLevel.CITY:
        return 80
    if level == divisions.DivisionLevel.COUNTY:
        return 30
    return None
