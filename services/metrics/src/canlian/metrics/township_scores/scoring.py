"""The sheet's rules without storage: an indicator item's score from its value, the grade of
a total, and ranks."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from canlian.common.events.metrics import TownshipGrade

AT_LEAST = "at_least"
AT_MOST = "at_most"

# The seed says 百分制 and 评定等次 but gives no cut-offs; the usual ones of a yearly target
# assessment (优秀 90, 良好 80, 合格 60) until a county's sheet sets its own.
GRADE_MINIMUMS: tuple[tuple[Decimal, TownshipGrade], ...] = (
    (Decimal(90), TownshipGrade.EXCELLENT),
    (Decimal(80), TownshipGrade.GOOD),
    (Decimal(60), TownshipGrade.SATISFACTORY),
)
_TENTH = Decimal("0.1")


def indicator_score(points: int, comparator: str, target: float, value: float | None) -> Decimal:
    """At least the target: full points when met, else in proportion to the value reached;
    at most the target: full points when kept under it, else none; no value: none."""
    if value is None:
        return Decimal(0)
    if comparator == AT_MOST:
        return Decimal(points) if value <= target else Decimal(0)
    if target <= 0 or value >= target:
        return Decimal(points)
    share = Decimal(str(max(value, 0.0))) / Decimal(str(target))
    return (Decimal(points) * share).quantize(_TENTH, ROUND_HALF_UP)


def grade_of(total: Decimal) -> TownshipGrade:
    for minimum, grade in GRADE_MINIMUMS:
        if total >= minimum:
            return grade
    return TownshipGrade.FAIL


def ranks(totals: Mapping[str, Decimal]) -> dict[str, int]:
    """1 for the highest total; equal totals share a rank, the next one skips (1, 1, 3)."""
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    result: dict[str, int] = {}
    for position, (code, total) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        same = previous is not None and previous[1] == total
        result[code] = result[previous[0]] if same and previous else position
    return result
