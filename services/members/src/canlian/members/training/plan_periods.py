"""Plan periods: 十二五 2011–2015, 十三五 2016–2020, ... five years each from 2011; "untrained"
means holding a post with no training in the current period."""

from __future__ import annotations

from datetime import date

from canlian.members.training.schemas import PlanPeriod

_NUMERALS = ["十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"]


def plan_period(on: date) -> PlanPeriod:
    index = max(0, (on.year - 2011) // 5)
    start = 2011 + index * 5
    name = f"{_NUMERALS[index]}五" if index < len(_NUMERALS) else f"{start}–{start + 4}"
    return PlanPeriod(name=name, start=date(start, 1, 1), end=date(start + 4, 12, 31))
