"""The commendation rules without storage: a year is due once in a cycle, before or after the
rounds already held; only a level above the nominating federation approves."""

import pytest

from canlian.common import policy
from canlian.common.events.org_registry import CommendationProgramme
from canlian.org_registry.commendations import rules

XINGQING = "640104000000"
ZHANGZHENG = "640104100000"
YINCHUAN = "640100000000"
JINFENG = "640106000000"


def test_the_seed_cycles_are_five_years_for_self_reliance_and_two_for_caring() -> None:
    assert rules.CYCLES[CommendationProgramme.SELF_RELIANCE].default == 5
    assert rules.CYCLES[CommendationProgramme.CARING].default == 2
    assert "五年内组织评选1次" in policy.SELF_RELIANCE_CYCLE_YEARS.seed
    assert "每2年组织1次" in policy.CARING_CYCLE_YEARS.seed


@pytest.mark.parametrize(
    ("year", "held", "cycle", "blocking"),
    [
        (2026, [], 5, None),
        (2026, [2021], 5, None),  # five years on: due
        (2025, [2021], 5, 2021),  # four years on: not due
        (2023, [2021], 5, 2021),
        (2021, [2021], 5, 2021),  # the same year twice
        (2019, [2021], 5, 2021),  # before a round held: also closer than the cycle
        (2016, [2021], 5, None),
        (2023, [2021], 2, None),
        (2022, [2021, 2026], 2, 2021),
        (2024, [2021, 2026], 2, None),
        (2025, [2021, 2026], 2, 2026),
    ],
)
def test_a_year_is_due_once_in_a_cycle(
    year: int, held: list[int], cycle: int, blocking: int | None
) -> None:
    assert rules.blocking_year(year, held, cycle) == blocking


@pytest.mark.parametrize(
    ("approver", "nominator", "allowed"),
    [
        (XINGQING, ZHANGZHENG, True),
        (YINCHUAN, ZHANGZHENG, True),
        (ZHANGZHENG, ZHANGZHENG, False),  # the same level
        (ZHANGZHENG, XINGQING, False),  # below
        (JINFENG, ZHANGZHENG, False),  # a county beside it
    ],
)
def test_only_a_level_above_the_nominator_approves(
    approver: str, nominator: str, allowed: bool
) -> None:
    assert rules.may_approve(approver, nominator) is allowed
