"""Special associations' 三落实: "经费、场地、人员" (funds, premises, staff) in place (seed 000).

Funds are in place only when the association has funds and its yearly activity funds reach its
level's minimum: by the seed at least 10,000 yuan for a city association and 5,000 yuan for a
county one (seed 003: "市级协会年活动经费不少于1万元,区、县(市)协会年活动经费不少于5千元").
A region may set its own minimum (policy parameters `special_associations.*_funds_minimum`,
owned by the registry): the registry records the minimum in force for each association and its
events carry it, so the registry's questions and the metrics counters judge alike. An
association with 4,999 yuan at county level fails by the seed; with no amount recorded it fails.
"""

from __future__ import annotations

from datetime import date

from canlian.common import policy
from canlian.common.events.org_registry import Standardisation

MINIMUM_PARAMETERS: dict[int, policy.Parameter] = {
    2: policy.CITY_ACTIVITY_FUNDS_MINIMUM,
    3: policy.COUNTY_ACTIVITY_FUNDS_MINIMUM,
}
"""Level (2 city, 3 county) -> the parameter setting its minimum; other levels: none."""

MIN_ACTIVITY_FUNDS_YUAN: dict[int, int] = {
    level: int(parameter.default) for level, parameter in MINIMUM_PARAMETERS.items()
}
"""The seeds' minimum yearly activity funds in yuan by level; other levels: 0."""


def minimum_in_force(level: int, division_code: str, on: date, values: policy.Values) -> int:
    """The minimum for an association at the level in the region on a business date."""
    parameter = MINIMUM_PARAMETERS.get(level)
    if parameter is None:
        return 0
    return int(values.effective(parameter, division_code, on))


def funds_minimum(level: int, minimum: int | None = None) -> int:
    """The minimum in force (`minimum`, as recorded for the association), else the seed's."""
    return minimum if minimum is not None else MIN_ACTIVITY_FUNDS_YUAN.get(level, 0)


def funds_adequate(
    level: int, yearly_activity_funds_yuan: int | None, minimum: int | None = None
) -> bool:
    """Yearly activity funds recorded and at least the minimum in force."""
    return yearly_activity_funds_yuan is not None and yearly_activity_funds_yuan >= funds_minimum(
        level, minimum
    )


def funds_in_place(
    level: int, has_funds: bool, yearly_activity_funds_yuan: int | None, minimum: int | None = None
) -> bool:
    return has_funds and funds_adequate(level, yearly_activity_funds_yuan, minimum)


def three_in_place(
    level: int, standardisation: Standardisation, minimum: int | None = None
) -> bool:
    """经费、场地、人员三落实: funds (at the minimum in force), premises and staff."""
    return (
        funds_in_place(
            level,
            standardisation.has_funds,
            standardisation.yearly_activity_funds_yuan,
            minimum,
        )
        and standardisation.has_premises
        and standardisation.has_staff
    )
