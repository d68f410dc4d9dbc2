"""HTTP routes of recruitment: parse, authorise, call the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from canlian.common import divisions
from canlian.common.audit import AccessReason, record_unmasked_read
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.recruitment import repository, selection, service
from canlian.members.recruitment.models import Applicant, RecruitmentRound
from canlian.members.recruitment.ranking import RULE
from canlian.members.recruitment.responses import applicant_read, round_read
from canlian.members.recruitment.schemas import (
    ApplicantCreate,
    ApplicantId,
    ApplicantPersonalData,
    ApplicantRead,
    RoundCreate,
    RoundId,
    RoundRead,
    ScoresSet,
    SelectionCreate,
    SelectionRead,
    WithdrawalCreate,
)

router = APIRouter(prefix="/v1", tags=["公开招聘 / recruitment"])

RoundFilter = Annotated[int | None, Query(ge=1, le=2**62, description="招聘编号 / round id")]


async def _round_read(session: Session, found: RecruitmentRound) -> RoundRead:
    selected = await repository.selected_counts(session, [post.id for post in found.posts])
    return round_read(found, selected)


@router.post(
    "/recruitment-rounds",
    status_code=201,
    openapi_extra=created("/v1/recruitment-rounds/{id}"),
    response_model=RoundRead,
    summary="发布招聘公告(专职委员、联络员)/ announce a recruitment round",
)
async def announce_round(
    body: RoundCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    found = await service.announce(session, runtime, principal, body)
    reply = await idempotent.respond(await _round_read(session, found))
    reply.headers["ETag"] = etag(found.version)
    return reply


@router.get("/recruitment-rounds", response_model=Page[RoundRead])
async def list_rounds(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[RoundRead]:
    prefix = divisions.prefix(region_of(principal, region))
    rows, cursor = await paginate(
        session, repository.rounds_in(prefix), [RecruitmentRound.id], paging
    )
    return Page(items=[await _round_read(session, row) for row in rows], next_cursor=cursor)


@router.get("/recruitment-rounds/{round_id}", response_model=RoundRead)
async def get_round(
    round_id: RoundId, session: Session, principal: Official, response: Response
) -> RoundRead:
    found = await service.get_round(session, principal, round_id)
    response.headers["ETag"] = etag(found.version)
    return await _round_read(session, found)


@router.post(
    "/recruitment-rounds/{round_id}/ranking",
    response_model=RoundRead,
    summary="按综合成绩排名(笔试权重为地区政策,同分残疾人及亲属优先)/ rank the applicants",
    description=f"综合成绩 = 笔试 × 地区权重 recruitment.written_exam_weight(未设为50%)+ 面试 × "
    f"(1 − 权重);同一岗位内按综合成绩排名,同分时残疾人及残疾人亲属在前,再比笔试,再按报名先后"
    f"(规则 {RULE.value},记录于招聘和每个报名者)。首次录取前可重新排名。 / combined = written "
    f"× the region's weight (default 50%) + interview × (1 − weight); per post by combined "
    f"score, on a tie disabled persons and relatives first, then the written score, then who "
    f"applied first (rule {RULE.value}, recorded). May be redone until the first selection.",
)
async def rank_round(
    round_id: RoundId,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> RoundRead:
    found = await service.rank_round(session, runtime, principal, round_id, precondition)
    response.headers["ETag"] = etag(found.version)
    return await _round_read(session, found)


@router.get(
    "/recruitment-rounds/{round_id}/ranking",
    response_model=Page[ApplicantRead],
    summary="排名结果(按岗位、名次)/ the ranking, post by post",
)
async def get_ranking(
    round_id: RoundId, session: Session, runtime: Runtime, principal: Official, paging: Paging
) -> Page[ApplicantRead]:
    found = await service.get_round(session, principal, round_id)
    statement = repository.ranking_of(found.id, divisions.prefix(principal.region))
    rows, cursor = await paginate(
        session, statement, [Applicant.offered_post_id, Applicant.rank, Applicant.id], paging
    )
    protector = runtime.personal_data
    return Page(items=[applicant_read(protector, row) for row in rows], next_cursor=cursor)


@router.post(
    "/recruitment-applicants",
    status_code=201,
    openapi_extra=created("/v1/recruitment-applicants/{id}"),
    response_model=ApplicantRead,
    summary="登记报名 / register an application",
)
async def register_applicant(
    body: ApplicantCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    applicant = await service.apply(session, runtime, principal, body)
    reply = await idempotent.respond(applicant_read(runtime.personal_data, applicant))
    reply.headers["ETag"] = etag(applicant.version)
    return reply


@router.get("/recruitment-applicants", response_model=Page[ApplicantRead])
async def list_applicants(
    session: Session,
    runtime: Runtime,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    round_id: RoundFilter = None,
    offered_post_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Page[ApplicantRead]:
    prefix = divisions.prefix(region_of(principal, region))
    statement = repository.applicants_in(prefix, round_id=round_id, offered_post_id=offered_post_id)
    rows, cursor = await paginate(session, statement, [Applicant.id], paging)
    protector = runtime.personal_data
    return Page(items=[applicant_read(protector, row) for row in rows], next_cursor=cursor)


@router.get("/recruitment-applicants/{applicant_id}", response_model=ApplicantRead)
async def get_applicant(
    applicant_id: ApplicantId,
    session: Session,
    runtime: Runtime,
    principal: Official,
    response: Response,
) -> ApplicantRead:
    applicant = await service.get_applicant(session, principal, applicant_id)
    response.headers["ETag"] = etag(applicant.version)
    return applicant_read(runtime.personal_data, applicant)


@router.get(
    "/recruitment-applicants/{applicant_id}/personal-data",
    response_model=ApplicantPersonalData,
    summary="查看报名者未脱敏个人信息(需授权并记录审计)/ unmasked personal data, audited",
    description="X-Access-Reason 中的中文请按 UTF-8 百分号编码 / percent-encode a Chinese "
    "reason (UTF-8) in X-Access-Reason.",
)
async def reveal_applicant_personal_data(
    applicant_id: ApplicantId,
    session: Session,
    runtime: Runtime,
    principal: Official,
    reason: AccessReason = None,
) -> ApplicantPersonalData:
    applicant = await service.get_applicant(session, principal, applicant_id)
    await record_unmasked_read(
        session,
        runtime.tables,
        principal,
        object_type="recruitment_applicant",
        object_id=str(applicant.id),
        reason=reason,
    )
    protector = runtime.personal_data
    phone = applicant.phone_ciphertext
    return ApplicantPersonalData(
        id=applicant.id,
        name=protector.decrypt(applicant.name_ciphertext),
        citizen_id=protector.decrypt(applicant.citizen_id_ciphertext),
        phone=protector.decrypt(phone) if phone else None,
    )


@router.put(
    "/recruitment-applicants/{applicant_id}/scores",
    response_model=ApplicantRead,
    summary="录入笔试和面试成绩(0–100)/ record the written exam and interview scores",
)
async def set_applicant_scores(
    applicant_id: ApplicantId,
    body: ScoresSet,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> ApplicantRead:
    applicant = await service.set_scores(
        session, runtime, principal, applicant_id, body, precondition
    )
    response.headers["ETag"] = etag(applicant.version)
    return applicant_read(runtime.personal_data, applicant)


@router.post(
    "/recruitment-applicants/{applicant_id}/withdrawal",
    response_model=ApplicantRead,
    summary="报名者放弃(排名在后者可依次递补)/ the applicant withdraws; the next in rank "
    "order may then be selected",
)
async def withdraw_applicant(
    applicant_id: ApplicantId,
    body: WithdrawalCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> ApplicantRead:
    applicant = await service.withdraw(session, principal, applicant_id, body.reason, precondition)
    response.headers["ETag"] = etag(applicant.version)
    return applicant_read(runtime.personal_data, applicant)


@router.post(
    "/recruitment-applicants/{applicant_id}/selection",
    status_code=201,
    openapi_extra=created("/v1/appointments/{appointment_id}"),
    response_model=SelectionRead,
    summary="择优录取并聘任 / select the applicant and appoint them",
    description="按名次录取;录取者进入实名制档案(已有档案则沿用)并以公开考试方式聘任,"
    "聘任记录招聘编号;岗位名额仍按地区政策(满额返回 409 并注明政策)。If-Match 为报名的 "
    "ETag。 / In rank order; the person enters the archive (or keeps the entry they have) and "
    "is appointed by open examination with the round recorded; the post's seats policy "
    "still applies (409 naming it). If-Match is the applicant's ETag.",
)
async def select_applicant(
    applicant_id: ApplicantId,
    body: SelectionCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> JSONResponse:
    applicant, appointment = await selection.select(
        session, runtime, principal, applicant_id, body, precondition
    )
    assert applicant.rank is not None
    assert applicant.combined_score is not None
    reply = await idempotent.respond(
        SelectionRead(
            applicant_id=applicant.id,
            round_id=applicant.round_id,
            member_id=appointment.member_id,
            appointment_id=appointment.id,
            rank=applicant.rank,
            combined_score=applicant.combined_score,
            preference_applied=applicant.preference_applied,
            ranking_rule=RULE,
            selection_method="open_examination",
        )
    )
    reply.headers["ETag"] = etag(applicant.version)
    return reply
