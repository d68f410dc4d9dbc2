"""How a round ranks its applicants (公开考试, 择优录取): the combined score weights the written
exam by the region's policy and the interview by the rest; the applicants of one post are
ordered by combined score, and on an equal combined score a disabled person or a relative ranks
first (001: 优先由残疾人及亲友担任; 003: 残疾人专职委员由残疾人担任), then the higher written
score, then who applied first. Pure rules; no storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from canlian.common.events.members import DisabilityRelation, RankingRule

RULE = RankingRule.COMBINED_THEN_DISABLED_OR_RELATIVE
PREFERRED = frozenset({DisabilityRelation.DISABLED, DisabilityRelation.RELATIVE})

_CENT = Decimal("0.01")


def combined_score(written: Decimal, interview: Decimal, weight_percent: Decimal) -> Decimal:
    """The written score weighted `weight_percent`, the interview the rest."""
    weight = weight_percent / 100
    return (written * weight + interview * (1 - weight)).quantize(_CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Scored:
    applicant_id: int
    written: Decimal
    interview: Decimal
    disability_relation: str


@dataclass(frozen=True)
class Ranked:
    applicant_id: int
    combined: Decimal
    rank: int
    # Placed above an applicant of the same combined score only by the preference.
    preference_applied: bool


def rank(applicants: Sequence[Scored], weight_percent: Decimal) -> list[Ranked]:
    """One post's applicants in rank order, ranks 1..n (no two share a rank: a post's places
    are filled one by one)."""
    combined = {
        item.applicant_id: combined_score(item.written, item.interview, weight_percent)
        for item in applicants
    }

    def key(item: Scored) -> tuple[Decimal, int, Decimal, int]:
        preferred = 0 if item.disability_relation in PREFERRED else 1
        return (-combined[item.applicant_id], preferred, -item.written, item.applicant_id)

    ordered = sorted(applicants, key=key)
    result: list[Ranked] = []
    for position, item in enumerate(ordered, start=1):
        score = combined[item.applicant_id]
        preferred = item.disability_relation in PREFERRED
        # The preference decided when someone of the same score below is not preferred.
        applied = preferred and any(
            combined[other.applicant_id] == score and other.disability_relation not in PREFERRED
            for other in ordered[position:]
        )
        result.append(Ranked(item.applicant_id, score, position, applied))
    return result
