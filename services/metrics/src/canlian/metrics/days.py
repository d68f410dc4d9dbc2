"""China has one time zone and no daylight saving: a "day" of the statistics is a Beijing day."""

from __future__ import annotations

from datetime import timedelta, timezone

# China has one time zone and no daylight saving: a "day" of the statistics is a Beijing day.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
