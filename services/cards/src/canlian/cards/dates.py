"""Calendar rules shared by applications and cards: a date within bounds, and the same day
some years later."""

from __future__ import annotations

import calendar
from datetime import date

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message


class DateOutOfRange(InvalidInput):
    code = "date-out-of-range"
    detail = Message(
        zh="{field_zh}不能早于 {earliest},也不能晚于 {latest}",
        en="{field} must lie between {earliest} and {latest}",
    )


def check_date(value: date, earliest: date, latest: date, field_name: str, zh: str) -> None:
    if not earliest <= value <= latest:
        raise DateOutOfRange(
            field=field_name, field_zh=zh, earliest=earliest.isoformat(), latest=latest.isoformat()
        )


def add_years(start: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return date(year, start.month, day)
