"""How an annual assessment decides (003: 绩效考评和残疾人评价相结合…考核合格连续使用; 001:
能进能出): the two scores weighted by the region's policy, the grade from the combined score,
and the next step from the grade. Pure rules; no storage."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from canlian.common.events.members import AssessmentDecision, AssessmentGrade

# The seeds name the grades' consequences but no cut-offs; the usual bands of a cadre's yearly
# assessment (优秀 90, 称职 70, 基本称职 60) until a region's policy sets its own.
GRADE_MINIMUMS: tuple[tuple[Decimal, AssessmentGrade], ...] = (
    (Decimal(90), AssessmentGrade.EXCELLENT),
    (Decimal(70), AssessmentGrade.COMPETENT),
    (Decimal(60), AssessmentGrade.BASICALLY_COMPETENT),
)

DECISIONS: dict[AssessmentGrade, AssessmentDecision] = {
    AssessmentGrade.EXCELLENT: AssessmentDecision.RENEW,
    AssessmentGrade.COMPETENT: AssessmentDecision.RENEW,
    AssessmentGrade.BASICALLY_COMPETENT: AssessmentDecision.IMPROVEMENT_PLAN,
    AssessmentGrade.INCOMPETENT: AssessmentDecision.DISMISS,
}

_CENT = Decimal("0.01")


def combined_score(performance: Decimal, evaluation: Decimal, weight_percent: Decimal) -> Decimal:
    """Performance weighted `weight_percent`, the disabled persons' evaluation the rest."""
    weight = weight_percent / 100
    return (performance * weight + evaluation * (1 - weight)).quantize(_CENT, ROUND_HALF_UP)


def grade_of(score: Decimal) -> AssessmentGrade:
    for minimum, grade in GRADE_MINIMUMS:
        if score >= minimum:
            return grade
    return AssessmentGrade.INCOMPETENT


def decision_of(grade: AssessmentGrade) -> AssessmentDecision:
    return DECISIONS[grade]
