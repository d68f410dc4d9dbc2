"""The mobile app's side, `/v1/me/...`: role `volunteer`, `sub` = volunteer id, only the
volunteer's own data (and, for team leaders, their teams' records)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from canlian.common.concurrency import etag
from canlian.common.db.metadata import utcnow
from canlian.common.dependencies import Idempotent, IfMatch
from canlian.common.events.volunteers import RegistrationChannel
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging
from canlian.common.problems import language_of
from canlian.volunteers.dependencies import IdPath, RequestContext, VolunteerUser
from canlian.volunteers.needs import assignments
from canlian.volunteers.needs import repository as needs_repository
from canlian.volunteers.needs import service as needs
from canlian.volunteers.needs.responses import assignment_read, need_brief, need_read
from canlian.volunteers.needs.schemas import AssignmentRead, Declining, NeedBrief, NeedRead
from canlian.volunteers.recognition.responses import recognition_of
from canlian.volunteers.recognition.schemas import Recognition
from canlian.volunteers.registration import service as registration
from canlian.volunteers.registration.schemas import Leaving, ProfileUpdate, SelfRegistration
from canlian.volunteers.service_records import repository as records_repository
from canlian.volunteers.service_records import service as records
from canlian.volunteers.service_records.responses import record_read
from canlian.volunteers.service_records.schemas import (
    BatchResult,
    RecordBatch,
    RecordRead,
    RecordStatus,
)
from canlian.volunteers.stations.repository import teams_led_by
from canlian.volunteers.volunteers.responses import volunteer_read
from canlian.volunteers.volunteers.schemas import VolunteerRead
from canlian.volunteers.volunteers.service import own_volunteer

# Every /me route answers 404 until the caller has registered (POST /v1/me/registration).
router = APIRouter(
    prefix="/v1", responses={404: {"description": "尚未注册为志愿者 / Not registered yet"}}
)


@router.post(
    "/me/registration",
    status_code=201,
    openapi_extra=created("/v1/me"),
    response_model=VolunteerRead,
    tags=["me"],
    summary="志愿者自行注册 / self-registration",
    description="志愿者编号即令牌的 sub / the volunteer id is the token's `sub`.",
)
async def register_self(
    body: SelfRegistration,
    context: RequestContext,
    principal: VolunteerUser,
    idempotent: Idempotent,
) -> JSONResponse:
    volunteer = await registration.register(
        context,
        principal,
        body,
        volunteer_id=registration.validate_subject(principal.subject),
        channel=RegistrationChannel.SELF,
    )
    return await idempotent.respond(volunteer_read(volunteer), status_code=201)


@router.get("/me", response_model=VolunteerRead, tags=["me"], summary="我的资料 / my profile")
async def get_me(
    context: RequestContext, principal: VolunteerUser, response: Response
) -> VolunteerRead:
    volunteer = await own_volunteer(context, principal)
    response.headers["ETag"] = etag(volunteer.version)
    return volunteer_read(volunteer)


@router.patch(
    "/me", response_model=VolunteerRead, tags=["me"], summary="修改我的资料 / change my profile"
)
async def update_me(
    body: ProfileUpdate,
    context: RequestContext,
    principal: VolunteerUser,
    precondition: IfMatch,
    response: Response,
) -> VolunteerRead:
    volunteer = await own_volunteer(context, principal, precondition=precondition)
    changed = await registration.update_profile(context, principal, volunteer, body)
    response.headers["ETag"] = etag(changed.version)
    return volunteer_read(changed)


@router.post("/me/leave", response_model=VolunteerRead, tags=["me"], summary="退出 / leave")
async def leave_me(
    body: Leaving,
    context: RequestContext,
    principal: VolunteerUser,
    precondition: IfMatch,
    response: Response,
) -> VolunteerRead:
    volunteer = await own_volunteer(context, principal, precondition=precondition)
    left = await registration.leave(context, volunteer, body.reason)
    response.headers["ETag"] = etag(left.version)
    return volunteer_read(left)


@router.post("/me/rejoin", response_model=VolunteerRead, tags=["me"], summary="重新加入 / rejoin")
async def rejoin_me(
    context: RequestContext, principal: VolunteerUser, precondition: IfMatch, response: Response
) -> VolunteerRead:
    volunteer = await own_volunteer(context, principal, precondition=precondition)
    rejoined = await registration.rejoin(context, volunteer)
    response.headers["ETag"] = etag(rejoined.version)
    return volunteer_read(rejoined)


@router.get(
    "/me/needs",
    response_model=Page[NeedBrief],
    tags=["me"],
    summary="可对接的需求 / needs for me",
    description="收到邀请的需求,以及本县内需要我的技能且尚未答复的需求 / invitations, and open "
    "needs in my county asking for one of my skills",
)
async def my_needs(
    context: RequestContext, principal: VolunteerUser, paging: Paging
) -> Page[NeedBrief]:
    volunteer = await own_volunteer(context, principal)
    rows, cursor = await needs_repository.needs_for_volunteer(
        context.session,
        paging,
        volunteer_id=volunteer.id,
        nearby_prefix=needs.nearby_prefix(volunteer.division_code),
        skills=[item.skill for item in volunteer.skills],
        now=utcnow(),
    )
    return Page(items=[need_brief(row) for row in rows], next_cursor=cursor)


@router.get(
    "/me/needs/{need_id}",
    response_model=NeedRead,
    tags=["me"],
    summary="需求详情 / a need I may answer",
)
async def my_need(
    need_id: IdPath, context: RequestContext, principal: VolunteerUser, response: Response
) -> NeedRead:
    volunteer = await own_volunteer(context, principal)
    need = await needs.visible_need(context, volunteer, need_id)
    response.headers["ETag"] = etag(need.version)
    return need_read(need)


@router.post(
    "/me/needs/{need_id}/accept",
    response_model=AssignmentRead,
    tags=["me"],
    summary="接受需求 / accept a need",
    description="If-Match 为读取需求时的 ETag;重复接受不会重复计数 / If-Match: the need's "
    "ETag as read; accepting twice changes nothing",
)
async def accept_need(
    need_id: IdPath,
    context: RequestContext,
    principal: VolunteerUser,
    precondition: IfMatch,
    response: Response,
) -> AssignmentRead:
    volunteer = await own_volunteer(context, principal)
    need = await needs.visible_need(context, volunteer, need_id, for_update=True)
    assignment = await assignments.accept(context, volunteer, need, precondition)
    response.headers["ETag"] = etag(need.version)
    return assignment_read(assignment)


@router.post(
    "/me/needs/{need_id}/decline",
    response_model=AssignmentRead,
    tags=["me"],
    summary="谢绝邀请或退出已接受的需求 / decline or withdraw",
)
async def decline_need(
    need_id: IdPath,
    body: Declining,
    context: RequestContext,
    principal: VolunteerUser,
    precondition: IfMatch,
    response: Response,
) -> AssignmentRead:
    volunteer = await own_volunteer(context, principal)
    need = await needs.visible_need(context, volunteer, need_id, for_update=True)
    assignment = await assignments.decline(context, volunteer, need, body.reason, precondition)
    response.headers["ETag"] = etag(need.version)
    return assignment_read(assignment)


@router.post(
    "/me/service-records/batch",
    response_model=BatchResult,
    tags=["me"],
    summary="提交服务记录(可离线批量)/ submit service records, offline batches too",
    description="每条记录带客户端生成的 client_id;重发同一批次时已收到的记录报告为 duplicate,"
    "不会重复计数。每条记录分别报告 accepted / duplicate / rejected(含原因)。"
    " / Each record carries a client-generated client_id; a resent record is reported as "
    "duplicate and never counted twice. Each record is reported accepted, duplicate or "
    "rejected with a reason.",
)
async def submit_records(
    request: Request,
    body: RecordBatch,
    context: RequestContext,
    principal: VolunteerUser,
    idempotent: Idempotent,
) -> JSONResponse:
    volunteer = await own_volunteer(context, principal, for_update=True)
    result = await records.submit_batch(context, volunteer, body.records, language_of(request))
    return await idempotent.respond(result, status_code=200)


@router.get(
    "/me/service-records",
    response_model=Page[RecordRead],
    tags=["me"],
    summary="我的服务记录 / my service records",
)
async def my_records(
    context: RequestContext,
    principal: VolunteerUser,
    paging: Paging,
    status: RecordStatus | None = None,
) -> Page[RecordRead]:
    volunteer = await own_volunteer(context, principal)
    rows, cursor = await records_repository.list_records(
        context.session, paging, volunteer_id=volunteer.id, status=status
    )
    return Page(items=[record_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/me/team/service-records",
    response_model=Page[RecordRead],
    tags=["me"],
    summary="队长:本队服务记录 / team leader: the team's records",
)
async def team_records(
    context: RequestContext,
    principal: VolunteerUser,
    paging: Paging,
    status: RecordStatus | None = RecordStatus.PENDING,
) -> Page[RecordRead]:
    teams = await teams_led_by(context.session, principal.subject)
    rows, cursor = await records_repository.list_records(
        context.session, paging, team_ids=[team.id for team in teams], status=status
    )
    return Page(items=[record_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/me/recognition",
    response_model=Recognition,
    tags=["me"],
    summary="我的星级与荣誉 / my star level and honours",
)
async def my_recognition(context: RequestContext, principal: VolunteerUser) -> Recognition:
    return await recognition_of(context, await own_volunteer(context, principal))
