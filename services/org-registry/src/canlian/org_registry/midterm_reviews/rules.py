"""The mid-term review's rules without storage: when a term is half-way through."""

from __future__ import annotations

from datetime import date, timedelta

SEED = (
    "000: 加强对下级残联在班子调整前、换届前、届中等关键环节的双重管理工作;003: 对市、县残联领导"
    "班子进行届中考评和调整"
)


def middle_of(starts_on: date, ends_on: date) -> date:
    """The term's middle day: a review from then on is a mid-term one."""
    return starts_on + timedelta(days=(ends_on - starts_on).days // 2)
