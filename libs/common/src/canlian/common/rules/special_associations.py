"""Special associations' 三落实: "经费、场地、人员" (funds, premises, staff) in place (seed 000).

Funds are in place only when the association has funds and its yearly activity funds reach its
level's minimum: at least 10,000 yuan for a city association and 5,000 yuan for a county one
(seed 003: "市级协会年活动经费不少于1万元,区、县(市)协会年活动经费不少于5千元"). An
association with 4,999 yuan at county level fails; with no amount recorded it fails too.
"""

from __future__ import annotations

from canlian.common.events.org_registry import Standardisation

MIN_ACTIVITY_FUNDS_YUAN: dict[int, int] = {2: 10_000, 3: 5_000}
"""Level (2 city, 3 county) -> minimum yearly activity funds in yuan; other levels: 0."""


def funds_minimum(level: int) -> int:
    return MIN_ACTIVITY_FUNDS_YUAN.get(level, 0)


def funds_adequate(level: int, yearly_activity_funds_yuan: int | None) -> bool:
    """Yearly activity funds recorded and at least the level's minimum."""
    return yearly_activity_funds_yuan is not None and yearly_activity_funds_yuan >= funds_minimum(
        level
    )


def funds_in_place(level: int, has_funds: bool, yearly_activity_funds_yuan: int | None) -> bool:
    return has_funds and funds_adequate(level, yearly_activity_funds_yuan)


def three_in_place(level: int, standardisation: Standardisation) -> bool:
    """经费、场地、人员三落实: funds (at the minimum), premises and staff."""
    return (
        funds_in_place(level, standardisation.has_funds, standardisation.yearly_activity_funds_yuan)
        and standardisation.has_premises
        and standardisation.has_staff
    )
