"""Development zones and virtual communities in the denominators (rules.denominators)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from canlian.common import policy
from canlian.common.rules import denominators

OTOG_ZONE = "150624404000"  # 内蒙古鄂托克经济开发区
OTOG_ZONE_VIRTUAL = "150624404498"  # 棋盘井工业园区虚拟社区
WULAN_TOWN = "150624100000"  # 乌兰镇
SUMITU_SUMU = "150624200000"  # 苏米图苏木
STREET = "110101001000"  # 东华门街道
FARM = "120112501000"  # 津南国家农业园区 (segment 5xx)
FARM_LIVING_AREA = "120112501598"  # 虚拟生活区
STREET_VIRTUAL = "110112009498"  # 文景街道虚拟社区
COMMUNITY = "150624100001"  # 都斯图社区
VILLAGE_298 = "130123100298"  # a villagers' committee numbered 298
BANNER = "150624000000"
INNER_MONGOLIA = "150000000000"


def flag(code: str, since: date, value: int, version: int = 1) -> policy.SetValue:
    return policy.SetValue(code, since, Decimal(value), version)


@pytest.mark.parametrize(
    ("code", "zone", "virtual"),
    [
        (OTOG_ZONE, True, False),
        (FARM, True, False),
        (WULAN_TOWN, False, False),
        (SUMITU_SUMU, False, False),
        (STREET, False, False),
        (OTOG_ZONE_VIRTUAL, False, True),
        (FARM_LIVING_AREA, False, True),
        (STREET_VIRTUAL, False, True),
        (COMMUNITY, False, False),
        (VILLAGE_298, False, False),
        (BANNER, False, False),
    ],
)
def test_kinds_from_the_nbs_code(code: str, zone: bool, virtual: bool) -> None:
    assert denominators.is_development_zone(code) is zone
    assert denominators.is_virtual_community(code) is virtual
    assert denominators.governed(code) is (zone or virtual)


def test_the_seed_default_leaves_both_out() -> None:
    on = date(2024, 1, 1)
    assert policy.DEVELOPMENT_ZONES_COUNTED.default == 0
    assert policy.VIRTUAL_COMMUNITIES_COUNTED.default == 0
    assert not denominators.counts(OTOG_ZONE, on, policy.SEED_ONLY)
    assert not denominators.counts(STREET_VIRTUAL, on, policy.SEED_ONLY)
    assert denominators.counts(WULAN_TOWN, on, policy.SEED_ONLY)
    assert denominators.counts(COMMUNITY, on, policy.SEED_ONLY)


def test_a_region_counts_its_zones_from_the_effective_date_and_below_only() -> None:
    values = policy.Values(
        {policy.DEVELOPMENT_ZONES_COUNTED.name: [flag(BANNER, date(2024, 3, 1), 1)]}
    )
    assert not denominators.counts(OTOG_ZONE, date(2024, 2, 29), values)
    assert denominators.counts(OTOG_ZONE, date(2024, 3, 1), values)
    assert not denominators.counts(FARM, date(2024, 3, 1), values)  # another region
    # The zones' parameter says nothing of virtual communities.
    assert not denominators.counts(OTOG_ZONE_VIRTUAL, date(2024, 3, 1), values)


def test_a_province_value_is_inherited_and_a_banner_overrides_it() -> None:
    name = policy.VIRTUAL_COMMUNITIES_COUNTED.name
    values = policy.Values(
        {
            name: [
                flag(INNER_MONGOLIA, date(2020, 1, 1), 1),
                flag(BANNER, date(2023, 1, 1), 0),
            ]
        }
    )
    assert denominators.counts(OTOG_ZONE_VIRTUAL, date(2022, 6, 1), values)
    assert not denominators.counts(OTOG_ZONE_VIRTUAL, date(2023, 6, 1), values)


def test_change_days_are_the_days_the_answer_changes() -> None:
    name = policy.DEVELOPMENT_ZONES_COUNTED.name
    values = policy.Values(
        {
            name: [
                flag(INNER_MONGOLIA, date(2021, 1, 1), 1),
                # the banner repeats the province: no change that day
                flag(BANNER, date(2022, 1, 1), 1),
                flag(BANNER, date(2023, 1, 1), 0, 2),
                # another province's value is no day of Otog's
                flag("120000000000", date(2021, 6, 1), 1),
            ]
        }
    )
    assert denominators.change_days(OTOG_ZONE, values, date(2000, 1, 1)) == [
        (date(2000, 1, 1), False),
        (date(2021, 1, 1), True),
        (date(2023, 1, 1), False),
    ]
    assert denominators.change_days(WULAN_TOWN, values, date(2000, 1, 1)) == [
        (date(2000, 1, 1), True)
    ]


def test_the_flag_takes_zero_or_one_only() -> None:
    for parameter in denominators.PARAMETERS:
        assert parameter.in_range(Decimal(0))
        assert parameter.in_range(Decimal(1))
        assert not parameter.in_range(Decimal(2))
        assert not parameter.in_range(Decimal("0.5"))
        assert parameter.owner == "org-registry"
