"""Weekly slots: weekday x part of the day (China time), as a volunteer's availability and
as the time a need touches; one bit per slot, so matching compares them with one `&`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from canlian.volunteers.bodies import InputBody
from canlian.volunteers.clock import CHINA

FULL_WEEK_MASK = (1 << 21) - 1


class Period(StrEnum):
    """时段: morning 06-12, afternoon 12-18, evening 18-24 (China Standard Time)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


_PERIODS = tuple(Period)


class AvailabilitySlot(InputBody):
    weekday: int = Field(ge=1, le=7, description="星期几(1=周一) / ISO weekday, 1 = Monday")
    period: Period = Field(description="时段 / part of the day")


Availability = Annotated[
    list[AvailabilitySlot],
    Field(max_length=21, description="可服务时段 / when the volunteer can serve"),
]


def availability_mask(slots: Sequence[AvailabilitySlot]) -> int:
    mask = 0
    for slot in slots:
        mask |= 1 << ((slot.weekday - 1) * 3 + _PERIODS.index(slot.period))
    return mask


def availability_slots(mask: int) -> list[AvailabilitySlot]:
    return [
        AvailabilitySlot(weekday=bit // 3 + 1, period=_PERIODS[bit % 3])
        for bit in range(21)
        if mask & (1 << bit)
    ]


def _period_index(hour: int) -> int:
    return 0 if hour < 12 else 1 if hour < 18 else 2


def slot_mask(starts_at: datetime, ends_at: datetime) -> int:
    """The weekly slots (weekday x part of day, China time) a time window touches."""
    if ends_at - starts_at >= timedelta(days=7):
        return FULL_WEEK_MASK
    mask = 0
    moment = starts_at.astimezone(CHINA).replace(minute=0, second=0, microsecond=0)
    end = ends_at.astimezone(CHINA)
    while moment < end:
        mask |= 1 << ((moment.isoweekday() - 1) * 3 + _period_index(moment.hour))
        moment += timedelta(hours=1)
    return mask
