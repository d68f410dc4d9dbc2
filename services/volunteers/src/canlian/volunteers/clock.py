"""China time and durations as volunteers count them.

Times are stored in UTC; days, weekdays and parts of the day are China Standard Time
(UTC+8), the time the volunteers and officials live in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from canlian.common.db.metadata import utcnow

CHINA = timezone(timedelta(hours=8), "CST")


def today_in_china(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(CHINA).date()


def hours_of(minutes: int) -> float:
    return round(minutes / 60, 2)
