"""Plan periods: five years each from 2011 (no database)."""

from datetime import date

import pytest

from canlian.members.training.plan_periods import plan_period


@pytest.mark.parametrize(
    ("on", "name", "start", "end"),
    [
        (date(2011, 1, 1), "十二五", 2011, 2015),
        (date(2015, 12, 31), "十二五", 2011, 2015),
        (date(2016, 1, 1), "十三五", 2016, 2020),
        (date(2026, 11, 24), "十五五", 2026, 2030),
    ],
)
def test_plan_periods_are_five_years_from_2011(on: date, name: str, start: int, end: int) -> None:
    period = plan_period(on)
    assert (period.name, period.start.year, period.end.year) == (name, start, end)
