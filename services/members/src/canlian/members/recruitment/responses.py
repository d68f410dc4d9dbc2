"""Rounds and applicants as the API shows them: identifiers masked."""

from __future__ import annotations

from collections.abc import Mapping

from canlian.common.events.members import DisabilityRelation, Post, RankingRule
from canlian.common.personal_data import (
    PersonalDataProtector,
    mask_citizen_id,
    mask_name,
    mask_phone,
)
from canlian.members.recruitment.models import Applicant, RecruitmentRound
from canlian.members.recruitment.schemas import (
    ApplicantRead,
    ApplicantStatus,
    OfferedPostRead,
    RoundRead,
    RoundStatus,
)


def round_read(found: RecruitmentRound, selected: Mapping[int, int]) -> RoundRead:
    """`selected`: offered post id -> how many of its places are filled."""
    return RoundRead(
        id=found.id,
        division_code=found.division_code,
        title=found.title,
        announced_on=found.announced_on,
        applications_close_on=found.applications_close_on,
        exam_on=found.exam_on,
        status=RoundStatus(found.status),
        written_exam_weight=found.written_exam_weight,
        ranking_rule=RankingRule(found.ranking_rule) if found.ranking_rule else None,
        ranked_on=found.ranked_on,
        posts=[
            OfferedPostRead(
                id=post.id,
                organisation_id=post.organisation_id,
                division_code=post.division_code,
                post=Post(post.post),
                seats=post.seats,
                selected=selected.get(post.id, 0),
            )
            for post in found.posts
        ],
        version=found.version,
        updated_by=found.updated_by,
    )


def applicant_read(protector: PersonalDataProtector, applicant: Applicant) -> ApplicantRead:
    phone = applicant.phone_ciphertext
    return ApplicantRead(
        id=applicant.id,
        round_id=applicant.round_id,
        offered_post_id=applicant.offered_post_id,
        division_code=applicant.division_code,
        name=mask_name(protector.decrypt(applicant.name_ciphertext)),
        citizen_id=mask_citizen_id(protector.decrypt(applicant.citizen_id_ciphertext)),
        phone=mask_phone(protector.decrypt(phone)) if phone else None,
        sex="male" if applicant.sex == "male" else "female",
        birth_year=applicant.birth_year,
        disability_relation=DisabilityRelation(applicant.disability_relation),
        disability_category=applicant.disability_category,
        disability_grade=applicant.disability_grade,
        education=applicant.education,
        written_score=applicant.written_score,
        interview_score=applicant.interview_score,
        combined_score=applicant.combined_score,
        rank=applicant.rank,
        preference_applied=applicant.preference_applied,
        status=ApplicantStatus(applicant.status),
        member_id=applicant.member_id,
        appointment_id=applicant.appointment_id,
        version=applicant.version,
        updated_by=applicant.updated_by,
    )
