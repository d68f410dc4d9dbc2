"""policy.effective and resolve: the nearest ancestor's value in force on a date, else the
seed default; later dates do not erase earlier ones; a later version for one date wins."""

from datetime import date
from decimal import Decimal

import pytest

from canlian.common import policy
from canlian.common.policy import SetValue, Source

STREETS = policy.SEATS_PER_STREET  # seed default 5, range 3-5
NINGXIA = "640000000000"
YINCHUAN = "640100000000"
XINGQING = "640104000000"
STREET = "640104001000"  # 街道 of 兴庆区

VALUES = [
    SetValue(NINGXIA, date(2024, 1, 1), Decimal(4), 1),
    SetValue(XINGQING, date(2025, 1, 1), Decimal(3), 1),
    SetValue(XINGQING, date(2026, 1, 1), Decimal(5), 2),
]


@pytest.mark.parametrize(
    ("code", "on", "expected", "source", "set_by"),
    [
        (STREET, date(2023, 12, 31), 5, Source.SEED, None),  # before any value: the seed
        (STREET, date(2024, 6, 1), 4, Source.ANCESTOR, NINGXIA),  # the province's
        (STREET, date(2025, 6, 1), 3, Source.ANCESTOR, XINGQING),  # the nearer county's
        (STREET, date(2026, 6, 1), 5, Source.ANCESTOR, XINGQING),  # its later value
        (XINGQING, date(2025, 6, 1), 3, Source.REGION, XINGQING),
        (YINCHUAN, date(2025, 6, 1), 4, Source.ANCESTOR, NINGXIA),  # a sibling's is not its
        ("650102001000", date(2026, 6, 1), 5, Source.SEED, None),  # another province
    ],
)
def test_nearest_ancestor_in_force_on_the_date(
    code: str, on: date, expected: int, source: Source, set_by: str | None
) -> None:
    assert policy.effective(STREETS, VALUES, code, on) == (Decimal(expected), set_by)
    resolution = policy.resolve(STREETS, VALUES, code, on)
    assert (resolution.value, resolution.source, resolution.set_by_division) == (
        Decimal(expected),
        source,
        set_by,
    )


def test_a_later_date_keeps_the_earlier_value_for_the_days_before_it() -> None:
    values = [*VALUES, SetValue(XINGQING, date(2027, 1, 1), Decimal(4), 3)]
    assert policy.effective(STREETS, values, STREET, date(2025, 6, 1))[0] == 3
    assert policy.effective(STREETS, values, STREET, date(2027, 1, 1))[0] == 4
    assert policy.resolve(STREETS, values, STREET, date(2027, 1, 1)).effective_from == date(
        2027, 1, 1
    )


def test_a_later_version_for_the_same_date_wins_whatever_the_order() -> None:
    corrected = SetValue(XINGQING, date(2025, 1, 1), Decimal(4), 3)
    for values in ([*VALUES, corrected], [corrected, *VALUES]):
        assert policy.effective(STREETS, values, STREET, date(2025, 6, 1))[0] == 4


def test_values_by_name_fall_back_to_the_seed() -> None:
    values = policy.Values({STREETS.name: VALUES})
    assert values.effective(STREETS, STREET, date(2025, 6, 1)) == 3
    assert values.effective(policy.SEATS_PER_TOWNSHIP, STREET, date(2025, 6, 1)) == 1
    assert policy.SEED_ONLY.effective(STREETS, STREET, date(2025, 6, 1)) == 5


@pytest.mark.parametrize(
    ("value", "ok"), [("3", True), ("5", True), ("2", False), ("6", False), ("4.5", False)]
)
def test_range_and_whole_numbers(value: str, ok: bool) -> None:
    assert STREETS.in_range(Decimal(value)) is ok


def test_every_parameter_has_its_seed_and_a_default_in_its_range() -> None:
    for parameter in policy.PARAMETERS.values():
        assert parameter.seed
        assert parameter.in_range(parameter.default), parameter.name
    assert {p.name for p in policy.owned_by("org-registry")} >= {
        policy.COUNTY_ACTIVITY_FUNDS_MINIMUM.name
    }
