"""The assessment's rules without storage: the policy weight, the grade bands, the decision
and the renewed contract end."""

from datetime import date
from decimal import Decimal

import pytest

from canlian.common import policy
from canlian.common.events.members import AssessmentDecision, AssessmentGrade
from canlian.members.assessments import grading
from canlian.members.assessments.service import renewed_end


def test_the_weight_moves_the_combined_score_across_a_band() -> None:
    even = grading.combined_score(Decimal(96), Decimal(82), Decimal(50))
    performance_heavy = grading.combined_score(Decimal(96), Decimal(82), Decimal(60))
    assert (even, performance_heavy) == (Decimal("89.00"), Decimal("90.40"))
    assert grading.grade_of(even) == AssessmentGrade.COMPETENT
    assert grading.grade_of(performance_heavy) == AssessmentGrade.EXCELLENT


@pytest.mark.parametrize(
    ("score", "grade", "decision"),
    [
        ("100", AssessmentGrade.EXCELLENT, AssessmentDecision.RENEW),
        ("90", AssessmentGrade.EXCELLENT, AssessmentDecision.RENEW),
        ("89.99", AssessmentGrade.COMPETENT, AssessmentDecision.RENEW),
        ("70", AssessmentGrade.COMPETENT, AssessmentDecision.RENEW),
        ("69.99", AssessmentGrade.BASICALLY_COMPETENT, AssessmentDecision.IMPROVEMENT_PLAN),
        ("60", AssessmentGrade.BASICALLY_COMPETENT, AssessmentDecision.IMPROVEMENT_PLAN),
        ("59.99", AssessmentGrade.INCOMPETENT, AssessmentDecision.DISMISS),
        ("0", AssessmentGrade.INCOMPETENT, AssessmentDecision.DISMISS),
    ],
)
def test_bands_and_what_they_decide(
    score: str, grade: AssessmentGrade, decision: AssessmentDecision
) -> None:
    assert grading.grade_of(Decimal(score)) == grade
    assert grading.decision_of(grade) == decision


def test_weight_is_a_members_policy_from_seed_003() -> None:
    weight = policy.ASSESSMENT_PERFORMANCE_WEIGHT
    assert weight.owner == "members"
    assert weight.seed.startswith("003:")
    assert weight.in_range(Decimal(0))
    assert weight.in_range(Decimal(100))
    assert not weight.in_range(Decimal(101))
    assert weight in policy.owned_by("members")


def test_a_renewal_runs_to_the_end_of_the_following_year() -> None:
    assert renewed_end(date(2025, 12, 31), 2025) == date(2026, 12, 31)
    assert renewed_end(date(2026, 3, 31), 2025) == date(2026, 12, 31)
    assert renewed_end(date(2028, 6, 30), 2025) is None  # already runs longer
    assert renewed_end(None, 2025) is None  # open-ended
