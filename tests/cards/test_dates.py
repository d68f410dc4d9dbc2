"""Calendar rules, without a database."""

from datetime import date

from canlian.cards.dates import add_years


def test_validity_adds_whole_years_and_handles_29_february() -> None:
    assert add_years(date(2026, 11, 24), 10) == date(2036, 11, 24)
    assert add_years(date(2024, 2, 29), 10) == date(2034, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
