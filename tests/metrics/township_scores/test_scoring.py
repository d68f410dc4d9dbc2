"""The sheet's rules without storage: indicator scores, grades, ranks."""

from decimal import Decimal

from canlian.common.events.metrics import TownshipGrade
from canlian.metrics.township_scores import scoring


def test_an_indicator_item_scores_what_share_of_its_target_was_reached() -> None:
    assert scoring.indicator_score(60, scoring.AT_LEAST, 100.0, 100.0) == Decimal(60)
    assert scoring.indicator_score(60, scoring.AT_LEAST, 100.0, 50.0) == Decimal("30.0")
    assert scoring.indicator_score(60, scoring.AT_LEAST, 80.0, 90.0) == Decimal(60)
    assert scoring.indicator_score(60, scoring.AT_LEAST, 100.0, None) == Decimal(0)
    assert scoring.indicator_score(10, scoring.AT_MOST, 5.0, 4.0) == Decimal(10)
    assert scoring.indicator_score(10, scoring.AT_MOST, 5.0, 6.0) == Decimal(0)


def test_grades_and_shared_ranks() -> None:
    assert scoring.grade_of(Decimal(90)) == TownshipGrade.EXCELLENT
    assert scoring.grade_of(Decimal("89.9")) == TownshipGrade.GOOD
    assert scoring.grade_of(Decimal(60)) == TownshipGrade.SATISFACTORY
    assert scoring.grade_of(Decimal("59.9")) == TownshipGrade.FAIL
    totals = {"a": Decimal(80), "b": Decimal(95), "c": Decimal(80), "d": Decimal(10)}
    assert scoring.ranks(totals) == {"b": 1, "a": 2, "c": 2, "d": 4}
