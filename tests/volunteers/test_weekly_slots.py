"""Weekly slots need no database: availability round-trips through its mask, and a need's
time touches the China-time parts of the day."""

from datetime import UTC, datetime, timedelta

from canlian.volunteers.clock import CHINA
from canlian.volunteers.weekly_slots import (
    FULL_WEEK_MASK,
    AvailabilitySlot,
    Period,
    availability_mask,
    availability_slots,
    slot_mask,
)

# 2026-11-23 is a Monday.
MONDAY = datetime(2026, 11, 23, tzinfo=CHINA)


def test_availability_round_trips_through_the_mask() -> None:
    slots = [
        AvailabilitySlot(weekday=1, period=Period.MORNING),
        AvailabilitySlot(weekday=3, period=Period.EVENING),
        AvailabilitySlot(weekday=7, period=Period.AFTERNOON),
    ]
    mask = availability_mask(slots)
    assert mask == (1 << 0) | (1 << 8) | (1 << 19)
    assert availability_slots(mask) == slots


def test_need_slots_are_china_time_parts_of_the_day() -> None:
    # 10:00-13:00 China time on Monday touches Monday morning and afternoon.
    mask = slot_mask(MONDAY.replace(hour=10), MONDAY.replace(hour=13))
    assert mask == 0b011
    # The same moment given in UTC (02:00-05:00) is the same slots.
    utc = MONDAY.replace(hour=10).astimezone(UTC)
    assert slot_mask(utc, utc + timedelta(hours=3)) == 0b011
    # Sunday 20:00 to Monday 08:00 touches Sunday evening and Monday morning.
    sunday_evening = MONDAY - timedelta(hours=4)
    overnight = slot_mask(sunday_evening, MONDAY + timedelta(hours=8))
    assert overnight == (1 << 20) | (1 << 0)
    assert slot_mask(MONDAY, MONDAY + timedelta(days=8)) == FULL_WEEK_MASK
