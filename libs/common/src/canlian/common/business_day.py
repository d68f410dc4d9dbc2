"""The business date: officials' "today" is China Standard Time (UTC+8, no daylight saving),
not the server's. From 16:00 UTC the machine's own date is still the day before."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def china_today() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()
