"""The middle of a term, from which a review is a mid-term one."""

from datetime import date

from canlian.org_registry.midterm_reviews.rules import middle_of


def test_the_middle_is_half_the_terms_days_on() -> None:
    assert middle_of(date(2022, 1, 1), date(2026, 12, 31)) == date(2024, 7, 1)
    assert middle_of(date(2021, 6, 1), date(2026, 5, 31)) == date(2023, 11, 30)
    assert middle_of(date(2025, 1, 1), date(2025, 1, 3)) == date(2025, 1, 2)
