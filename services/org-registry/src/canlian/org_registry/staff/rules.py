"""Seed 002's staff rules, pure: disabled cadres at least the region's share of the staff in
post (残联机关配备残疾人干部比例不低于15%), seconded and part-time cadres about 15% (shown, not
judged: the seed says "左右"), executive council members at the grass roots at least the
region's days a year (每年下基层调研不少于60天)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from canlian.common.events.org_registry import StaffEmployment


@dataclass(frozen=True)
class StaffFacts:
    employment: str
    is_disabled: bool
    joined_on: date
    left_on: date | None

    def in_post(self, on: date) -> bool:
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)


def percent(count: int, total: int) -> Decimal | None:
    if total == 0:
        return None
    return (Decimal(count) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Composition:
    total: int
    disabled: int
    seconded_or_part_time: int
    disabled_share: Decimal | None
    seconded_or_part_time_share: Decimal | None
    # None while nobody is in post: nothing to judge.
    disabled_share_met: bool | None


def composition(staff: Sequence[StaffFacts], on: date, minimum_percent: Decimal) -> Composition:
    current = [item for item in staff if item.in_post(on)]
    total = len(current)
    disabled = sum(1 for item in current if item.is_disabled)
    flexible = sum(1 for item in current if item.employment != StaffEmployment.CADRE)
    return Composition(
        total=total,
        disabled=disabled,
        seconded_or_part_time=flexible,
        disabled_share=percent(disabled, total),
        seconded_or_part_time_share=percent(flexible, total),
        disabled_share_met=None if total == 0 else disabled * 100 >= minimum_percent * total,
    )


def grassroots_met(days: int, minimum_days: int) -> bool:
    return days >= minimum_days
