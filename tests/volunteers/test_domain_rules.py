"""Domain rules that need no database: slots, star levels, pools, subjects."""

from datetime import UTC, datetime, timedelta

import pytest

from canlian.volunteers import service
from canlian.volunteers.schemas import AvailabilitySlot, Period

# 2026-11-23 is a Monday.
MONDAY = datetime(2026, 11, 23, tzinfo=service.CHINA)


def test_availability_round_trips_through_the_mask() -> None:
    slots = [
        AvailabilitySlot(weekday=1, period=Period.MORNING),
        AvailabilitySlot(weekday=3, period=Period.EVENING),
        AvailabilitySlot(weekday=7, period=Period.AFTERNOON),
    ]
    mask = service.availability_mask(slots)
    assert mask == (1 << 0) | (1 << 8) | (1 << 19)
    assert service.availability_slots(mask) == slots


def test_need_slots_are_china_time_parts_of_the_day() -> None:
    # 10:00-13:00 China time on Monday touches Monday morning and afternoon.
    mask = service.slot_mask(MONDAY.replace(hour=10), MONDAY.replace(hour=13))
    assert mask == 0b011
    # The same moment given in UTC (02:00-05:00) is the same slots.
    utc = MONDAY.replace(hour=10).astimezone(UTC)
    assert service.slot_mask(utc, utc + timedelta(hours=3)) == 0b011
    # Sunday 20:00 to Monday 08:00 touches Sunday evening and Monday morning.
    sunday_evening = MONDAY - timedelta(hours=4)
    overnight = service.slot_mask(sunday_evening, MONDAY + timedelta(hours=8))
    assert overnight == (1 << 20) | (1 << 0)
    assert service.slot_mask(MONDAY, MONDAY + timedelta(days=8)) == service.FULL_WEEK_MASK


@pytest.mark.parametrize(
    ("hours", "level"),
    [(0, 0), (99.99, 0), (100, 1), (299, 1), (300, 2), (1000, 4), (1499, 4), (1500, 5), (9e9, 5)],
)
def test_star_levels_by_default_thresholds(hours: float, level: int) -> None:
    assert service.star_level_for(hours, service.DEFAULT_STAR_THRESHOLDS) == level


def test_candidates_are_sought_within_the_city() -> None:
    assert service.candidate_pool("620102003004") == "6201"
    assert service.candidate_pool("620100000000") == "6201"
    assert service.candidate_pool("620000000000") == "62"


def test_nearby_needs_are_within_the_volunteers_county() -> None:
    assert service.nearby_prefix("620102003004") == "620102"
    assert service.nearby_prefix("620100000000") == "6201"


@pytest.mark.parametrize("subject", ["", "a" * 65, "王", "a b", "x/y"])
def test_unusable_token_subjects_are_refused(subject: str) -> None:
    with pytest.raises(service.SubjectNotUsable):
        service.validate_subject(subject)


def test_usable_token_subjects_pass() -> None:
    assert service.validate_subject("idp-2f9.c_1") == "idp-2f9.c_1"
