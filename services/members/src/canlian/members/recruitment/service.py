"""Rules of recruitment rounds: an announcement offers seated posts of organisations inside its
region; applicants are kept as the archive keeps people (identifiers encrypted, one
application per citizen ID and round); scores are taken until the round is ranked; the ranking
applies the region's written-exam weight and the recorded preference rule, and may be redone
until the first selection."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import citizen_id, divisions, policy
from canlian.common.auth import Principal
from canlian.common.business_day import china_today
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.members import (
    RecruitmentApplicantScored,
    RecruitmentPostOffered,
    RecruitmentRoundAnnounced,
    RecruitmentRoundRanked,
)
from canlian.common.rules import seats
from canlian.common.runtime import ServiceRuntime
from canlian.members.archive.service import check_disability
from canlian.members.organisations.service import usable_organisation
from canlian.members.policies import repository as policies_repository
from canlian.members.recruitment import ranking, repository
from canlian.members.recruitment.models import Applicant, OfferedPost, RecruitmentRound
from canlian.members.recruitment.problems import (
    AlreadyApplied,
    AlreadySelected,
    DatesOutOfOrder,
    OfferedPostUnknown,
    PostNotRecruited,
    PostOfferedTwice,
    PostOutsideRound,
    RoundAlreadyRanked,
    RoundHasSelections,
)
from canlian.members.recruitment.schemas import (
    ApplicantCreate,
    ApplicantStatus,
    RoundCreate,
    RoundStatus,
    ScoresSet,
)


async def get_round(
    session: AsyncSession, principal: Principal, round_id: int, *, for_update: bool = False
) -> RecruitmentRound:
    found = await repository.recruitment_round(session, round_id, for_update=for_update)
    if found is None:
        raise NotFound(what="招聘 / recruitment round", key=round_id)
    if not principal.covers(found.division_code):
        raise OutsideScope(what="招聘 / recruitment round")
    return found


async def get_applicant(
    session: AsyncSession, principal: Principal, applicant_id: int, *, for_update: bool = False
) -> Applicant:
    found = await repository.applicant(session, applicant_id, for_update=for_update)
    if found is None:
        raise NotFound(what="报名 / applicant", key=applicant_id)
    if not principal.covers(found.division_code):
        raise OutsideScope(what="报名 / applicant")
    return found


async def announce(
    session: AsyncSession, runtime: ServiceRuntime, principal: Principal, body: RoundCreate
) -> RecruitmentRound:
    principal.ensure_covers(body.division_code)
    if not body.announced_on <= body.applications_close_on <= body.exam_on:
        raise DatesOutOfOrder(
            announced_on=body.announced_on.isoformat(),
            applications_close_on=body.applications_close_on.isoformat(),
            exam_on=body.exam_on.isoformat(),
        )
    prefix = divisions.prefix(body.division_code)
    offered: list[OfferedPost] = []
    seen: set[tuple[str, str]] = set()
    for item in body.posts:
        organisation = await usable_organisation(session, item.organisation_id)
        if not organisation.division_code.startswith(prefix):
            raise PostOutsideRound(
                organisation_id=item.organisation_id, division_code=body.division_code
            )
        # Only the posts whose seats the region's policy sets are filled by examination.
        if seats.seat_parameter(item.post, organisation.division_code) is None:
            raise PostNotRecruited(organisation_id=item.organisation_id)
        if (item.organisation_id, item.post) in seen:
            raise PostOfferedTwice(organisation_id=item.organisation_id)
        seen.add((item.organisation_id, item.post))
        offered.append(
            OfferedPost(
                organisation_id=organisation.organisation_id,
                division_code=organisation.division_code,
                post=item.post,
                seats=item.seats,
            )
        )
    now = utcnow()
    created = RecruitmentRound(
        division_code=body.division_code,
        title=body.title,
        announced_on=body.announced_on,
        applications_close_on=body.applications_close_on,
        exam_on=body.exam_on,
        status=RoundStatus.ANNOUNCED,
        version=1,
        created_at=now,
        updated_at=now,
        updated_by=principal.subject,
        posts=offered,
    )
    session.add(created)
    await session.flush()
    await runtime.outbox.add(
        session,
        RecruitmentRoundAnnounced(
            round_id=str(created.id),
            version=created.version,
            division_code=created.division_code,
            announced_on=created.announced_on,
            applications_close_on=created.applications_close_on,
            exam_on=created.exam_on,
            posts=[
                RecruitmentPostOffered(
                    offered_post_id=str(post.id),
                    organisation_id=post.organisation_id,
                    division_code=post.division_code,
                    post=post.post,
                    seats=post.seats,
                )
                for post in offered
            ],
        ),
    )
    return created


async def apply(
    session: AsyncSession, runtime: ServiceRuntime, principal: Principal, body: ApplicantCreate
) -> Applicant:
    target = await get_round(session, principal, body.round_id, for_update=True)
    principal.ensure_covers(target.division_code)
    post = next((item for item in target.posts if item.id == body.offered_post_id), None)
    if post is None:
        raise OfferedPostUnknown(round_id=target.id, offered_post_id=body.offered_post_id)
    if target.status != RoundStatus.ANNOUNCED:
        raise RoundAlreadyRanked(round_id=target.id)
    check_disability(body.disability_relation, body.disability_category, body.disability_grade)
    protector = runtime.personal_data
    index = protector.index(body.citizen_id)
    existing = await repository.applicant_by_citizen_index(session, target.id, index)
    if existing is not None:
        raise AlreadyApplied(round_id=target.id, applicant_id=existing.id)
    born = citizen_id.birth_date(body.citizen_id)
    assert born is not None  # CitizenId validated it
    now = utcnow()
    applicant = Applicant(
        round_id=target.id,
        offered_post_id=post.id,
        division_code=post.division_code,
        name_ciphertext=protector.encrypt(body.name.strip()),
        citizen_id_ciphertext=protector.encrypt(body.citizen_id),
        citizen_id_index=index,
        phone_ciphertext=protector.encrypt(body.phone) if body.phone else None,
        sex=citizen_id.sex(body.citizen_id),
        birth_year=born.year,
        disability_relation=body.disability_relation,
        disability_category=(
            int(body.disability_category) if body.disability_category is not None else None
        ),
        disability_grade=body.disability_grade,
        education=body.education,
        preference_applied=False,
        status=ApplicantStatus.APPLIED,
        version=1,
        created_at=now,
        updated_at=now,
        updated_by=principal.subject,
    )
    session.add(applicant)
    await session.flush()
    return applicant


async def set_scores(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    applicant_id: int,
    body: ScoresSet,
    precondition: Precondition,
) -> Applicant:
    applicant = await get_applicant(session, principal, applicant_id, for_update=True)
    principal.ensure_covers(applicant.division_code)
    precondition.check(applicant.version)
    target = await get_round(session, principal, applicant.round_id)
    if target.status != RoundStatus.ANNOUNCED:
        raise RoundAlreadyRanked(round_id=target.id)
    applicant.written_score = body.written_score
    applicant.interview_score = body.interview_score
    _touch(applicant, principal)
    await session.flush()
    await runtime.outbox.add(
        session,
        RecruitmentApplicantScored(
            applicant_id=str(applicant.id),
            version=applicant.version,
            round_id=str(applicant.round_id),
            offered_post_id=str(applicant.offered_post_id),
            division_code=applicant.division_code,
            written_score=body.written_score,
            interview_score=body.interview_score,
        ),
    )
    return applicant


def _touch(applicant: Applicant, principal: Principal) -> None:
    applicant.version += 1
    applicant.updated_at = utcnow()
    applicant.updated_by = principal.subject


async def rank_round(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    round_id: int,
    precondition: Precondition,
) -> RecruitmentRound:
    """Rank every post's scored applicants; applicants without both scores get no rank."""
    target = await get_round(session, principal, round_id, for_update=True)
    principal.ensure_covers(target.division_code)
    precondition.check(target.version)
    applicants = await repository.applicants_of_round(session, target.id)
    if any(item.status == ApplicantStatus.SELECTED for item in applicants):
        raise RoundHasSelections(round_id=target.id)
    today = china_today()
    # The weight in force on the exam date in the announcing region (50 by the seed default).
    weight = (
        (await policies_repository.members_values(session))
        .effective(policy.RECRUITMENT_WRITTEN_EXAM_WEIGHT, target.division_code, target.exam_on)
        .quantize(Decimal("0.01"))
    )
    ranked = decided = 0
    for post in target.posts:
        # A withdrawn applicant is not ranked (a rank kept from before is cleared).
        mine = [item for item in applicants if item.offered_post_id == post.id]
        scored = [
            ranking.Scored(
                item.id, item.written_score, item.interview_score, item.disability_relation
            )
            for item in mine
            if item.written_score is not None
            and item.interview_score is not None
            and item.status != ApplicantStatus.WITHDRAWN
        ]
        results = {result.applicant_id: result for result in ranking.rank(scored, weight)}
        for item in mine:
            result = results.get(item.id)
            new = (
                (result.combined, result.rank, result.preference_applied)
                if result is not None
                else (None, None, False)
            )
            if (item.combined_score, item.rank, item.preference_applied) != new:
                item.combined_score, item.rank, item.preference_applied = new
                _touch(item, principal)
            if result is not None:
                ranked += 1
                decided += int(result.preference_applied)
    target.status = RoundStatus.RANKED
    target.written_exam_weight = weight
    target.ranking_rule = ranking.RULE
    target.ranked_on = today
    target.version += 1
    target.updated_at = utcnow()
    target.updated_by = principal.subject
    await session.flush()
    await runtime.outbox.add(
        session,
        RecruitmentRoundRanked(
            round_id=str(target.id),
            version=target.version,
            division_code=target.division_code,
            written_exam_weight=weight,
            ranking_rule=ranking.RULE,
            ranked_on=today,
            applicants_ranked=ranked,
            preference_decided=decided,
        ),
    )
    return target


async def withdraw(
    session: AsyncSession,
    principal: Principal,
    applicant_id: int,
    reason: str,
    precondition: Precondition,
) -> Applicant:
    """放弃: the applicant leaves the running; in rank order the next one may be selected."""
    applicant = await get_applicant(session, principal, applicant_id, for_update=True)
    principal.ensure_covers(applicant.division_code)
    precondition.check(applicant.version)
    if applicant.status == ApplicantStatus.SELECTED:
        raise AlreadySelected(applicant_id=applicant.id, appointment_id=applicant.appointment_id)
    if applicant.status == ApplicantStatus.APPLIED:
        applicant.status = ApplicantStatus.WITHDRAWN
        applicant.withdrawal_reason = reason
        _touch(applicant, principal)
        await session.flush()
    return applicant
