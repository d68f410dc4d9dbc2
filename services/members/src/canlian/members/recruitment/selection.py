"""择优录取: a ranked round's places are filled in rank order; the selected applicant enters the
real-name archive (or the entry the citizen ID already has) and is appointed through the
appointments service with "open_examination" and the round, so the seats policy of the post
still decides (a fourth selection where the region allows three seats is a 409 naming it)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.business_day import china_today
from canlian.common.concurrency import Precondition
from canlian.common.events.members import (
    DisabilityRelation,
    MemberKind,
    MemberSelectedByExam,
    Post,
    SelectionMethod,
)
from canlian.common.runtime import ServiceRuntime
from canlian.members.appointments import service as appointments
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.schemas import AppointmentCreate
from canlian.members.archive import repository as archive_repository
from canlian.members.archive import service as archive
from canlian.members.archive.models import Member
from canlian.members.archive.problems import AlreadyInArchiveElsewhere
from canlian.members.archive.schemas import DisabilityCategory, Education, MemberCreate
from canlian.members.recruitment import ranking, repository
from canlian.members.recruitment.models import Applicant, OfferedPost, RecruitmentRound
from canlian.members.recruitment.problems import (
    AlreadySelected,
    ApplicantNotRanked,
    ApplicantWithdrawn,
    HigherRankedWaiting,
    PlacesFilled,
    RoundNotRanked,
)
from canlian.members.recruitment.schemas import ApplicantStatus, RoundStatus, SelectionCreate
from canlian.members.recruitment.service import get_applicant, get_round


async def select(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    applicant_id: int,
    body: SelectionCreate,
    precondition: Precondition,
) -> tuple[Applicant, Appointment]:
    applicant = await get_applicant(session, principal, applicant_id, for_update=True)
    principal.ensure_covers(applicant.division_code)
    precondition.check(applicant.version)
    # The round's lock orders concurrent selections of its places.
    target = await get_round(session, principal, applicant.round_id, for_update=True)
    if target.status != RoundStatus.RANKED:
        raise RoundNotRanked(round_id=target.id)
    if applicant.status == ApplicantStatus.SELECTED:
        raise AlreadySelected(applicant_id=applicant.id, appointment_id=applicant.appointment_id)
    if applicant.status == ApplicantStatus.WITHDRAWN:
        raise ApplicantWithdrawn(applicant_id=applicant.id)
    if applicant.rank is None or applicant.combined_score is None:
        raise ApplicantNotRanked(applicant_id=applicant.id)
    post = next(item for item in target.posts if item.id == applicant.offered_post_id)
    await _check_order(session, target, post, applicant)
    member = await _archive_entry(session, runtime, principal, applicant, post)
    appointment = await appointments.appoint(
        session,
        runtime,
        principal,
        member.id,
        AppointmentCreate(
            organisation_id=post.organisation_id,
            post=Post(post.post),
            selection_method=SelectionMethod.OPEN_EXAMINATION,
            contract_start=body.contract_start,
            contract_end=body.contract_end,
            public_welfare_post=body.public_welfare_post,
            social_work_post=body.social_work_post,
            monthly_allowance_yuan=body.monthly_allowance_yuan,
            social_insurance_subsidy=body.social_insurance_subsidy,
            status=body.status,
            reason=f"公开考试录取:招聘 {target.id} 第 {applicant.rank} 名 / selected by open "
            f"examination in round {target.id}, rank {applicant.rank}",
        ),
        recruitment_round_id=target.id,
    )
    applicant.status = ApplicantStatus.SELECTED
    applicant.member_id = member.id
    applicant.appointment_id = appointment.id
    applicant.version += 1
    applicant.updated_at = appointment.created_at
    applicant.updated_by = principal.subject
    await session.flush()
    await runtime.outbox.add(
        session,
        MemberSelectedByExam(
            applicant_id=str(applicant.id),
            version=applicant.version,
            round_id=str(target.id),
            member_id=str(member.id),
            appointment_id=str(appointment.id),
            organisation_id=post.organisation_id,
            division_code=post.division_code,
            post=Post(post.post),
            member_disability_relation=DisabilityRelation(member.disability_relation),
            rank=applicant.rank,
            combined_score=applicant.combined_score,
            preference_applied=applicant.preference_applied,
            ranking_rule=ranking.RULE,
            selected_on=china_today(),
        ),
    )
    return applicant, appointment


async def _check_order(
    session: AsyncSession, target: RecruitmentRound, post: OfferedPost, applicant: Applicant
) -> None:
    """The round's places for the post, then rank order: nobody ranked higher still waits
    (one who withdrew does not)."""
    assert applicant.rank is not None
    others = await repository.applicants_of_post(session, post.id)
    selected = sum(1 for item in others if item.status == ApplicantStatus.SELECTED)
    if selected >= post.seats:
        raise PlacesFilled(round_id=target.id, seats=post.seats)
    waiting = sorted(
        (
            item
            for item in others
            if item.rank is not None
            and item.rank < applicant.rank
            and item.status == ApplicantStatus.APPLIED
        ),
        key=lambda item: item.rank or 0,
    )
    if waiting:
        raise HigherRankedWaiting(
            waiting_rank=waiting[0].rank, waiting_id=waiting[0].id, rank=applicant.rank
        )


async def _archive_entry(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    applicant: Applicant,
    post: OfferedPost,
) -> Member:
    """The applicant's archive entry: the one the citizen ID has (in scope), else a new one
    registered from the application, as the archive registers anyone."""
    existing = await archive_repository.member_by_citizen_index(session, applicant.citizen_id_index)
    if existing is not None:
        if not principal.covers(existing.division_code):
            raise AlreadyInArchiveElsewhere()
        return existing
    protector = runtime.personal_data
    return await archive.register_member(
        session,
        runtime,
        principal,
        MemberCreate(
            kind=MemberKind.COMMITTEE_MEMBER,
            division_code=post.division_code,
            name=protector.decrypt(applicant.name_ciphertext),
            citizen_id=protector.decrypt(applicant.citizen_id_ciphertext),
            phone=(
                protector.decrypt(applicant.phone_ciphertext)
                if applicant.phone_ciphertext
                else None
            ),
            disability_relation=DisabilityRelation(applicant.disability_relation),
            disability_category=(
                DisabilityCategory(applicant.disability_category)
                if applicant.disability_category is not None
                else None
            ),
            disability_grade=applicant.disability_grade,
            education=Education(applicant.education) if applicant.education else None,
        ),
    )
