"""The ranking rule alone: weighted combined score, and on an equal combined score a disabled
person or a relative first (001: 优先由残疾人及亲友担任), then the written score."""

from decimal import Decimal

from canlian.common import policy
from canlian.members.recruitment import ranking


def scored(applicant_id: int, written: str, interview: str, relation: str) -> ranking.Scored:
    return ranking.Scored(applicant_id, Decimal(written), Decimal(interview), relation)


def test_the_seed_default_weighs_exam_and_interview_evenly() -> None:
    weight = policy.RECRUITMENT_WRITTEN_EXAM_WEIGHT
    assert weight.default == Decimal(50)
    assert ranking.combined_score(Decimal(80), Decimal(70), weight.default) == Decimal("75.00")
    assert ranking.combined_score(Decimal(80), Decimal(70), Decimal(60)) == Decimal("76.00")


def test_on_an_equal_combined_score_the_disabled_or_relative_applicant_ranks_first() -> None:
    result = ranking.rank(
        [
            scored(1, "80", "70", "none"),  # 75, applied first
            scored(2, "70", "80", "disabled"),  # 75
            scored(3, "90", "90", "none"),  # 90
            scored(4, "60", "60", "relative"),  # 60
        ],
        Decimal(50),
    )
    assert [(item.applicant_id, item.rank) for item in result] == [(3, 1), (2, 2), (1, 3), (4, 4)]
    applied = {item.applicant_id: item.preference_applied for item in result}
    assert applied == {3: False, 2: True, 1: False, 4: False}


def test_without_a_preference_to_decide_the_written_score_then_the_application_order() -> None:
    result = ranking.rank(
        [
            scored(1, "70", "80", "disabled"),
            scored(2, "80", "70", "relative"),
            scored(3, "75", "75", "disabled"),
        ],
        Decimal(50),
    )
    assert [item.applicant_id for item in result] == [2, 3, 1]
    assert not any(item.preference_applied for item in result)


def test_the_weight_can_turn_the_order() -> None:
    applicants = [scored(1, "90", "60", "none"), scored(2, "60", "85", "none")]
    assert [item.applicant_id for item in ranking.rank(applicants, Decimal(50))] == [1, 2]
    assert [item.applicant_id for item in ranking.rank(applicants, Decimal(20))] == [2, 1]
