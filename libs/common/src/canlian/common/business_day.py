"""The business date: officials' "today" is China Standard Time (UTC+8, no daylight saving),
not the server's. From 16:00 UTC the machine's own date is still the day before."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def china_today() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()


def back_dated(day: date | None, today: date | None = None) -> date | None:
    """An event's `effective_on`: the fact's own date when it lies before today (China time),
    else None (the event's time is the fact's date)."""
    if day is None:
        return None
    return day if day < (today or china_today()) else None
