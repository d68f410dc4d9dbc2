"""rules.special_associations: 三落实 needs the funds at the level's minimum (seed 003)."""

import pytest

from canlian.common.events.org_registry import Standardisation
from canlian.common.rules import special_associations


def complete(funds: int | None, **flags: bool) -> Standardisation:
    values = {"has_funds": True, "has_premises": True, "has_staff": True, **flags}
    return Standardisation(yearly_activity_funds_yuan=funds, **values)


@pytest.mark.parametrize(
    ("level", "funds", "adequate"),
    [
        (3, 4_999, False),
        (3, 5_000, True),
        (2, 9_999, False),
        (2, 10_000, True),
        (3, None, False),
        (1, 0, True),  # no minimum above the city: an amount is enough
    ],
)
def test_funds_minimum_by_level(level: int, funds: int | None, adequate: bool) -> None:
    assert special_associations.funds_adequate(level, funds) is adequate
    assert special_associations.three_in_place(level, complete(funds)) is adequate


@pytest.mark.parametrize("missing", ["has_funds", "has_premises", "has_staff"])
def test_each_of_the_three_is_needed(missing: str) -> None:
    assert special_associations.three_in_place(3, complete(20_000, **{missing: False})) is False
