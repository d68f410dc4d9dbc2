"""The service's calendar: officials' dates are China Standard Time (UTC+8)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TIME = timezone(timedelta(hours=8))


def today_in_china() -> date:
    return datetime.now(CHINA_TIME).date()
