"""HTTP routes of the volunteers service: parse, authorise, call the service.

`/v1/me/...` is the mobile app's side (role `volunteer`, `sub` = volunteer id, only the
volunteer's own data); the rest is for officials within their region scope.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from canlian.common import audit, auth, divisions
from canlian.common.db.metadata import utcnow
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.errors import OutsideScope
from canlian.common.events.volunteers import ServiceRecordConfirmed, VolunteerSnapshot
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.problems import language_of
from canlian.common.tabular_import import ImportReport, read_upload, upload_openapi
from canlian.volunteers import repository, service
from canlian.volunteers.models import (
    Assignment,
    Honour,
    Need,
    ServiceRecord,
    Station,
    Team,
    Training,
    Volunteer,
)
from canlian.volunteers.schemas import (
    ID_PATTERN,
    AssignmentRead,
    AssignmentStatus,
    BatchResult,
    Candidate,
    Declining,
    HonourCreate,
    HonourLevel,
    HonourRead,
    Invitation,
    LeaderAssignment,
    Leaving,
    NeedBrief,
    NeedClosing,
    NeedCreate,
    NeedRead,
    NeedRequester,
    NeedStatus,
    ProfileUpdate,
    Recognition,
    RecordBatch,
    RecordRead,
    RecordRejection,
    RecordStatus,
    RegistrationChannel,
    ReviewBatch,
    ReviewBatchResult,
    SelfRegistration,
    ServiceReport,
    ServiceTotals,
    Skill,
    StarPolicyRead,
    StarPolicyWrite,
    StationCreate,
    StationLevel,
    StationRead,
    StationRegistration,
    TeamCreate,
    TeamRead,
    TrainingCreate,
    TrainingKind,
    TrainingRead,
    VolunteerContact,
    VolunteerCounts,
    VolunteerRead,
    VolunteerReport,
    VolunteerStatus,
    VolunteerSummary,
    VolunteerUpdate,
)
from canlian.volunteers.settings import VolunteersSettings

router = APIRouter(prefix="/v1")

# Ids are UUIDs or identity-provider subjects; anything else cannot name an object.
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
VolunteerUser = Annotated[auth.Principal, Depends(auth.require_roles(auth.VOLUNTEER))]
Reviewer = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL, auth.VOLUNTEER))]

RECOGNITION_ITEMS = 50
MAX_CANDIDATES = 100


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request.
async def get_context(session: Session, runtime: Runtime) -> service.Context:
    settings = runtime.settings
    assert isinstance(settings, VolunteersSettings)
    return service.Context(session, runtime.outbox, runtime.personal_data, settings)


Context = Annotated[service.Context, Depends(get_context)]


# Conversions


def volunteer_read(volunteer: Volunteer) -> VolunteerRead:
    return VolunteerRead(
        id=volunteer.id,
        division_code=volunteer.division_code,
        name=volunteer.name_masked,
        status=VolunteerStatus(volunteer.status),
        skills=sorted(Skill(item.skill) for item in volunteer.skills),
        star_level=volunteer.star_level,
        confirmed_hours=service.hours_of(volunteer.confirmed_minutes),
        channel=RegistrationChannel(volunteer.channel),
        phone=volunteer.phone_masked,
        citizen_id=volunteer.citizen_id_masked,
        availability=service.availability_slots(volunteer.availability_mask),
        team_id=volunteer.team_id,
        station_id=volunteer.station_id,
        sign_language_trained=volunteer.sign_language_trained,
        person_times=volunteer.person_times,
        registered_on=volunteer.registered_on,
        left_on=volunteer.left_on,
        version=volunteer.version,
    )


def volunteer_summary(volunteer: Volunteer) -> VolunteerSummary:
    return VolunteerSummary(
        id=volunteer.id,
        division_code=volunteer.division_code,
        name=volunteer.name_masked,
        status=VolunteerStatus(volunteer.status),
        skills=sorted(Skill(item.skill) for item in volunteer.skills),
        star_level=volunteer.star_level,
        confirmed_hours=service.hours_of(volunteer.confirmed_minutes),
    )


def station_read(station: Station) -> StationRead:
    return StationRead(
        id=station.id,
        name=station.name,
        level=StationLevel(station.level),
        division_code=station.division_code,
        leader_volunteer_id=station.leader_volunteer_id,
        version=station.version,
    )


def team_read(team: Team) -> TeamRead:
    return TeamRead(
        id=team.id,
        name=team.name,
        division_code=team.division_code,
        station_id=team.station_id,
        leader_volunteer_id=team.leader_volunteer_id,
        version=team.version,
    )


def need_read(need: Need) -> NeedRead:
    return NeedRead(
        id=need.id,
        division_code=need.division_code,
        kind=Skill(need.kind),
        skills=[Skill(item.skill) for item in need.skills],
        title=need.title,
        description=need.description,
        requested_by=NeedRequester(need.requested_by),
        organisation_id=need.organisation_id,
        persons=need.persons,
        volunteers_needed=need.volunteers_needed,
        volunteers_accepted=need.volunteers_accepted,
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        status=NeedStatus(need.status),
        version=need.version,
    )


def assignment_read(assignment: Assignment) -> AssignmentRead:
    return AssignmentRead(
        need_id=assignment.need_id,
        volunteer_id=assignment.volunteer_id,
        status=AssignmentStatus(assignment.status),
        decline_reason=assignment.decline_reason,
    )


def record_read(record: ServiceRecord) -> RecordRead:
    return RecordRead(
        id=record.id,
        client_id=record.client_id,
        volunteer_id=record.volunteer_id,
        need_id=record.need_id,
        team_id=record.team_id,
        division_code=record.division_code,
        service_kind=Skill(record.service_kind),
        checked_in_at=record.checked_in_at,
        checked_out_at=record.checked_out_at,
        served_on=record.served_on,
        hours=service.hours_of(record.minutes),
        person_times=record.person_times,
        status=RecordStatus(record.status),
        rejection_reason=record.rejection_reason,
        version=record.version,
    )


def training_read(training: Training) -> TrainingRead:
    return TrainingRead(
        id=training.id,
        volunteer_id=training.volunteer_id,
        kind=TrainingKind(training.kind),
        title=training.title,
        provider=training.provider,
        hours=training.hours,
        completed_on=training.completed_on,
        certificate_no=training.certificate_no,
    )


def honour_read(honour: Honour) -> HonourRead:
    return HonourRead(
        id=honour.id,
        volunteer_id=honour.volunteer_id,
        title=honour.title,
        level=HonourLevel(honour.level),
        awarded_by=honour.awarded_by,
        awarded_on=honour.awarded_on,
    )


async def recognition_of(context: service.Context, volunteer: Volunteer) -> Recognition:
    thresholds, _ = await service.effective_thresholds(context.session, volunteer.division_code)
    hours = volunteer.confirmed_minutes / 60
    upcoming = [
        (level, threshold)
        for level, threshold in enumerate(thresholds, start=1)
        if level > volunteer.star_level
    ]
    trainings = await repository.trainings_of(context.session, volunteer.id, RECOGNITION_ITEMS)
    honours = await repository.honours_of(context.session, volunteer.id, RECOGNITION_ITEMS)
    return Recognition(
        star_level=volunteer.star_level,
        confirmed_hours=service.hours_of(volunteer.confirmed_minutes),
        person_times=volunteer.person_times,
        next_star_level=upcoming[0][0] if upcoming else None,
        hours_to_next_star=round(max(upcoming[0][1] - hours, 0), 2) if upcoming else None,
        thresholds_hours=thresholds,
        trainings=[training_read(item) for item in trainings],
        honours=[honour_read(item) for item in honours],
    )


# The volunteer's own side (mobile app)


@router.post(
    "/me/registration",
    status_code=201,
    response_model=VolunteerRead,
    tags=["me"],
    summary="志愿者自行注册 / self-registration",
    description="志愿者编号即令牌的 sub / the volunteer id is the token's `sub`.",
)
async def register_self(
    body: SelfRegistration, context: Context, principal: VolunteerUser, idempotent: Idempotent
) -> JSONResponse:
    volunteer = await service.register(
        context,
        principal,
        body,
        volunteer_id=service.validate_subject(principal.subject),
        channel=RegistrationChannel.SELF,
    )
    return await idempotent.respond(volunteer_read(volunteer), status_code=201)


@router.get("/me", response_model=VolunteerRead, tags=["me"], summary="我的资料 / my profile")
async def get_me(context: Context, principal: VolunteerUser) -> VolunteerRead:
    return volunteer_read(await service.own_volunteer(context, principal))


@router.patch(
    "/me", response_model=VolunteerRead, tags=["me"], summary="修改我的资料 / change my profile"
)
async def update_me(
    body: ProfileUpdate, context: Context, principal: VolunteerUser
) -> VolunteerRead:
    volunteer = await service.own_volunteer(context, principal, for_update=True)
    return volunteer_read(await service.update_profile(context, principal, volunteer, body))


@router.post("/me/leave", response_model=VolunteerRead, tags=["me"], summary="退出 / leave")
async def leave_me(body: Leaving, context: Context, principal: VolunteerUser) -> VolunteerRead:
    volunteer = await service.own_volunteer(context, principal, for_update=True)
    return volunteer_read(await service.leave(context, volunteer, body.reason))


@router.post("/me/rejoin", response_model=VolunteerRead, tags=["me"], summary="重新加入 / rejoin")
async def rejoin_me(context: Context, principal: VolunteerUser) -> VolunteerRead:
    volunteer = await service.own_volunteer(context, principal, for_update=True)
    return volunteer_read(await service.rejoin(context, volunteer))


@router.get(
    "/me/needs",
    response_model=Page[NeedBrief],
    tags=["me"],
    summary="可对接的需求 / needs for me",
    description="收到邀请的需求,以及本县内需要我的技能且尚未答复的需求 / invitations, and open "
    "needs in my county asking for one of my skills",
)
async def my_needs(context: Context, principal: VolunteerUser, paging: Paging) -> Page[NeedBrief]:
    volunteer = await service.own_volunteer(context, principal)
    rows, cursor = await repository.needs_for_volunteer(
        context.session,
        paging,
        volunteer_id=volunteer.id,
        nearby_prefix=service.nearby_prefix(volunteer.division_code),
        skills=[item.skill for item in volunteer.skills],
        now=utcnow(),
    )
    return Page(
        items=[
            NeedBrief(
                id=row.id,
                division_code=row.division_code,
                kind=Skill(row.kind),
                title=row.title,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                status=NeedStatus(row.status),
                invited=bool(row.invited),
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


@router.get(
    "/me/needs/{need_id}",
    response_model=NeedRead,
    tags=["me"],
    summary="需求详情 / a need I may answer",
)
async def my_need(need_id: IdPath, context: Context, principal: VolunteerUser) -> NeedRead:
    volunteer = await service.own_volunteer(context, principal)
    return need_read(await service.visible_need(context, volunteer, need_id))


@router.post(
    "/me/needs/{need_id}/accept",
    response_model=AssignmentRead,
    tags=["me"],
    summary="接受需求 / accept a need",
    description="重复接受不会重复计数 / accepting twice changes nothing",
)
async def accept_need(
    need_id: IdPath, context: Context, principal: VolunteerUser
) -> AssignmentRead:
    volunteer = await service.own_volunteer(context, principal)
    need = await service.visible_need(context, volunteer, need_id, for_update=True)
    return assignment_read(await service.accept(context, volunteer, need))


@router.post(
    "/me/needs/{need_id}/decline",
    response_model=AssignmentRead,
    tags=["me"],
    summary="谢绝邀请或退出已接受的需求 / decline or withdraw",
)
async def decline_need(
    need_id: IdPath, body: Declining, context: Context, principal: VolunteerUser
) -> AssignmentRead:
    volunteer = await service.own_volunteer(context, principal)
    need = await service.visible_need(context, volunteer, need_id, for_update=True)
    return assignment_read(await service.decline(context, volunteer, need, body.reason))


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
    context: Context,
    principal: VolunteerUser,
    idempotent: Idempotent,
) -> JSONResponse:
    volunteer = await service.own_volunteer(context, principal, for_update=True)
    result = await service.submit_batch(context, volunteer, body.records, language_of(request))
    return await idempotent.respond(result, status_code=200)


@router.get(
    "/me/service-records",
    response_model=Page[RecordRead],
    tags=["me"],
    summary="我的服务记录 / my service records",
)
async def my_records(
    context: Context,
    principal: VolunteerUser,
    paging: Paging,
    status: RecordStatus | None = None,
) -> Page[RecordRead]:
    volunteer = await service.own_volunteer(context, principal)
    rows, cursor = await repository.list_records(
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
    context: Context,
    principal: VolunteerUser,
    paging: Paging,
    status: RecordStatus | None = RecordStatus.PENDING,
) -> Page[RecordRead]:
    teams = await repository.teams_led_by(context.session, principal.subject)
    rows, cursor = await repository.list_records(
        context.session, paging, team_ids=[team.id for team in teams], status=status
    )
    return Page(items=[record_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/me/recognition",
    response_model=Recognition,
    tags=["me"],
    summary="我的星级与荣誉 / my star level and honours",
)
async def my_recognition(context: Context, principal: VolunteerUser) -> Recognition:
    return await recognition_of(context, await service.own_volunteer(context, principal))


# Service-record review: team leaders and officials


@router.post(
    "/service-records/{record_id}/confirm",
    response_model=RecordRead,
    tags=["service records"],
    summary="确认服务记录 / confirm a record",
    description="队长或服务站工作人员确认;不能确认本人的记录 / by the team leader or officials; "
    "never one's own",
)
async def confirm_record(record_id: IdPath, context: Context, principal: Reviewer) -> RecordRead:
    record = await service.record_for_review(context, principal, record_id)
    return record_read(await service.confirm_record(context, principal, record))


@router.post(
    "/service-records/{record_id}/reject",
    response_model=RecordRead,
    tags=["service records"],
    summary="退回服务记录 / reject a record",
)
async def reject_record(
    record_id: IdPath, body: RecordRejection, context: Context, principal: Reviewer
) -> RecordRead:
    record = await service.record_for_review(context, principal, record_id)
    return record_read(await service.reject_record(context, principal, record, body.reason))


@router.post(
    "/service-records/reviews",
    response_model=ReviewBatchResult,
    tags=["service records"],
    summary="批量确认或退回 / confirm or reject many records",
    description="每条分别报告结果;未能审核的记录不作任何改动 / one result per record; a "
    "record that cannot be reviewed is left as it was",
)
async def review_records(
    request: Request, body: ReviewBatch, context: Context, principal: Reviewer
) -> ReviewBatchResult:
    return await service.review_batch(context, principal, body.decisions, language_of(request))


@router.get(
    "/service-records",
    response_model=Page[RecordRead],
    tags=["service records"],
    summary="服务记录(本辖区)/ service records in my region",
)
async def list_records(
    context: Context,
    principal: Official,
    paging: Paging,
    status: RecordStatus | None = None,
    volunteer_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    team_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    served_from: Annotated[date | None, Query(alias="from")] = None,
    served_to: Annotated[date | None, Query(alias="to")] = None,
) -> Page[RecordRead]:
    rows, cursor = await repository.list_records(
        context.session,
        paging,
        region_prefix=principal.region_prefix,
        volunteer_id=volunteer_id,
        team_ids=[team_id] if team_id else None,
        status=status,
        served_from=served_from,
        served_to=served_to,
    )
    return Page(items=[record_read(row) for row in rows], next_cursor=cursor)


# Stations and teams


@router.post(
    "/stations",
    status_code=201,
    response_model=StationRead,
    tags=["stations"],
    summary="设立志愿服务站 / create a station",
)
async def create_station(
    body: StationCreate, context: Context, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    station = await service.create_station(context, principal, body)
    return await idempotent.respond(station_read(station))


@router.get(
    "/stations",
    response_model=Page[StationRead],
    tags=["stations"],
    summary="服务站列表 / stations",
)
async def list_stations(context: Context, principal: Official, paging: Paging) -> Page[StationRead]:
    rows, cursor = await repository.list_stations(
        context.session, paging, region_prefix=principal.region_prefix
    )
    return Page(items=[station_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/stations/{station_id}",
    response_model=StationRead,
    tags=["stations"],
    summary="服务站详情 / a station",
)
async def get_station(station_id: IdPath, context: Context, principal: Official) -> StationRead:
    return station_read(await service.station_in_scope(context, principal, station_id))


@router.put(
    "/stations/{station_id}/leader",
    response_model=StationRead,
    tags=["stations"],
    summary="设定站长 / set the station's leader",
)
async def set_station_leader(
    station_id: IdPath, body: LeaderAssignment, context: Context, principal: Official
) -> StationRead:
    station = await service.assign_station_leader(context, principal, station_id, body.volunteer_id)
    return station_read(station)


@router.post(
    "/teams",
    status_code=201,
    response_model=TeamRead,
    tags=["teams"],
    summary="组建志愿服务队 / create a team",
)
async def create_team(
    body: TeamCreate, context: Context, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    team = await service.create_team(context, principal, body)
    return await idempotent.respond(team_read(team))


@router.get("/teams", response_model=Page[TeamRead], tags=["teams"], summary="服务队列表 / teams")
async def list_teams(
    context: Context,
    principal: Official,
    paging: Paging,
    station_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
) -> Page[TeamRead]:
    rows, cursor = await repository.list_teams(
        context.session, paging, region_prefix=principal.region_prefix, station_id=station_id
    )
    return Page(items=[team_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/teams/{team_id}", response_model=TeamRead, tags=["teams"], summary="服务队详情 / a team"
)
async def get_team(team_id: IdPath, context: Context, principal: Official) -> TeamRead:
    return team_read(await service.team_in_scope(context, principal, team_id))


@router.put(
    "/teams/{team_id}/leader",
    response_model=TeamRead,
    tags=["teams"],
    summary="设定队长 / set the team leader",
)
async def set_leader(
    team_id: IdPath, body: LeaderAssignment, context: Context, principal: Official
) -> TeamRead:
    return team_read(await service.assign_leader(context, principal, team_id, body.volunteer_id))


# Volunteers (officials)


@router.post(
    "/volunteers",
    status_code=201,
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="服务站代为登记 / registration by a station",
)
async def register_volunteer(
    body: StationRegistration, context: Context, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    volunteer = await service.register(
        context,
        principal,
        body,
        volunteer_id=service.new_id(),
        channel=RegistrationChannel.STATION,
    )
    return await idempotent.respond(volunteer_read(volunteer), status_code=201)


@router.get(
    "/volunteers",
    response_model=Page[VolunteerSummary],
    tags=["volunteers"],
    summary="志愿者名册 / volunteers registered in a region",
)
async def list_volunteers(
    context: Context,
    principal: Official,
    paging: Paging,
    division: Annotated[
        DivisionCode | None, Query(description="区划 / within this division")
    ] = None,
    status: VolunteerStatus | None = VolunteerStatus.ACTIVE,
    skill: Annotated[Skill | None, Query(description="技能,如 sign_language 手语")] = None,
    team_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    sign_language_trained: bool | None = None,
    min_star_level: Annotated[int | None, Query(ge=0, le=5)] = None,
) -> Page[VolunteerSummary]:
    region = division or principal.region
    principal.ensure_covers(region)
    rows, cursor = await repository.list_volunteers(
        context.session,
        paging,
        region_prefix=divisions.prefix(region),
        status=status,
        skill=skill,
        team_id=team_id,
        sign_language_trained=sign_language_trained,
        min_star_level=min_star_level,
    )
    return Page(items=[volunteer_summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/volunteers/{volunteer_id}",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="志愿者详情(脱敏)/ a volunteer, masked",
)
async def get_volunteer(
    volunteer_id: IdPath, context: Context, principal: Official
) -> VolunteerRead:
    return volunteer_read(await service.volunteer_in_scope(context, principal, volunteer_id))


@router.patch(
    "/volunteers/{volunteer_id}",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="修改志愿者资料 / change a volunteer",
)
async def update_volunteer(
    volunteer_id: IdPath, body: VolunteerUpdate, context: Context, principal: Official
) -> VolunteerRead:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id, for_update=True)
    principal.ensure_covers(volunteer.division_code)
    return volunteer_read(await service.update_profile(context, principal, volunteer, body))


@router.post(
    "/volunteers/{volunteer_id}/leave",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="办理退出 / record that a volunteer left",
)
async def leave_volunteer(
    volunteer_id: IdPath, body: Leaving, context: Context, principal: Official
) -> VolunteerRead:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id, for_update=True)
    principal.ensure_covers(volunteer.division_code)
    return volunteer_read(await service.leave(context, volunteer, body.reason))


@router.post(
    "/volunteers/{volunteer_id}/rejoin",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="重新加入 / a volunteer rejoins",
)
async def rejoin_volunteer(
    volunteer_id: IdPath, context: Context, principal: Official
) -> VolunteerRead:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id, for_update=True)
    principal.ensure_covers(volunteer.division_code)
    return volunteer_read(await service.rejoin(context, volunteer))


@router.get(
    "/volunteers/{volunteer_id}/contact",
    response_model=VolunteerContact,
    tags=["volunteers"],
    summary="未脱敏联系方式(审计)/ unmasked contact, audited",
    description="需要 personal-data:read 授权和 X-Access-Reason 理由 / needs the "
    "personal-data:read scope and an X-Access-Reason header",
)
async def volunteer_contact(
    volunteer_id: IdPath,
    context: Context,
    runtime: Runtime,
    principal: Official,
    reason: audit.AccessReason = None,
) -> VolunteerContact:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id)
    await audit.record_unmasked_read(
        context.session,
        runtime.tables,
        principal,
        object_type="volunteer",
        object_id=volunteer.id,
        reason=reason,
    )
    protector = context.personal_data
    return VolunteerContact(
        id=volunteer.id,
        name=protector.decrypt(volunteer.name_encrypted),
        phone=protector.decrypt(volunteer.phone_encrypted),
        citizen_id=protector.decrypt(volunteer.citizen_id_encrypted)
        if volunteer.citizen_id_encrypted
        else None,
    )


@router.post(
    "/volunteers/{volunteer_id}/trainings",
    status_code=201,
    response_model=TrainingRead,
    tags=["recognition"],
    summary="登记培训 / record a training",
)
async def add_training(
    volunteer_id: IdPath,
    body: TrainingCreate,
    context: Context,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id, for_update=True)
    training = await service.record_training(context, principal, volunteer, body)
    return await idempotent.respond(training_read(training))


@router.post(
    "/volunteers/{volunteer_id}/honours",
    status_code=201,
    response_model=HonourRead,
    tags=["recognition"],
    summary="登记荣誉表彰 / record an honour",
)
async def add_honour(
    volunteer_id: IdPath,
    body: HonourCreate,
    context: Context,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id)
    honour = await service.record_honour(context, principal, volunteer, body)
    return await idempotent.respond(honour_read(honour))


@router.get(
    "/volunteers/{volunteer_id}/recognition",
    response_model=Recognition,
    tags=["recognition"],
    summary="星级、培训与荣誉 / star level, trainings, honours",
)
async def volunteer_recognition(
    volunteer_id: IdPath, context: Context, principal: Official
) -> Recognition:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id)
    return await recognition_of(context, volunteer)


# Roster import

_UPLOAD_BODY = upload_openapi(
    "花名册 .xlsx 或 .csv:姓名、手机号码、"
    "公民身份号码(可空)、区划代码、技能(可空,如“手语、陪伴”)"
    " / roster file"
)


@router.post(
    "/imports/volunteers",
    response_model=ImportReport,
    status_code=201,
    tags=["volunteers"],
    summary="导入志愿者花名册(Excel/CSV)/ import a station's volunteer roster",
    description="默认全部成功才写入(有错时返回 422 和逐行报告);dry_run 只校验;"
    "all_or_nothing=false 只导入有效行。 / All-or-nothing by default (422 with the report by "
    "row when any row is bad); dry_run only validates; all_or_nothing=false writes the good "
    "rows only.",
    openapi_extra=_UPLOAD_BODY,
)
async def import_roster(
    request: Request,
    context: Context,
    principal: Official,
    idempotent: Idempotent,
    dry_run: Annotated[bool, Query(description="只校验不写入 / validate only")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="有错误则全部不导入 / write nothing if any row is bad")
    ] = True,
) -> JSONResponse:
    content, filename = await read_upload(request)
    report = await service.import_roster(
        context, principal, content, filename, dry_run=dry_run, all_or_nothing=all_or_nothing
    )
    return await idempotent.respond(report, status_code=200 if dry_run else 201)


# Star policies


@router.put(
    "/star-policies/{division_code}",
    response_model=StarPolicyRead,
    tags=["recognition"],
    summary="设定本地区星级标准 / set a region's star thresholds",
)
async def put_star_policy(
    division_code: DivisionCode, body: StarPolicyWrite, context: Context, principal: Official
) -> StarPolicyRead:
    policy = await service.set_star_policy(context, principal, division_code, body.thresholds_hours)
    return StarPolicyRead(
        division_code=policy.division_code,
        thresholds_hours=service.thresholds_of(policy),
        source_division_code=policy.division_code,
    )


@router.get(
    "/star-policies/{division_code}",
    response_model=StarPolicyRead,
    tags=["recognition"],
    summary="生效的星级标准(最近上级)/ effective star thresholds (nearest ancestor)",
)
async def get_star_policy(
    division_code: DivisionCode, context: Context, principal: Reviewer
) -> StarPolicyRead:
    if not principal.covers(division_code):
        raise OutsideScope(what="星级标准 / star policy")
    thresholds, source = await service.effective_thresholds(context.session, division_code)
    return StarPolicyRead(
        division_code=division_code, thresholds_hours=thresholds, source_division_code=source
    )


# Needs and matching


@router.post(
    "/needs",
    status_code=201,
    response_model=NeedRead,
    tags=["needs"],
    summary="登记服务需求 / raise a need",
)
async def create_need(
    body: NeedCreate, context: Context, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    need = await service.create_need(context, principal, body)
    return await idempotent.respond(need_read(need))


@router.get(
    "/needs",
    response_model=Page[NeedRead],
    tags=["needs"],
    description="without_volunteer=true:尚无志愿者接受的待对接需求 / open needs nobody accepted",
    summary="服务需求列表 / needs",
)
async def list_needs(
    context: Context,
    principal: Official,
    paging: Paging,
    division: Annotated[
        DivisionCode | None, Query(description="区划 / within this division")
    ] = None,
    status: NeedStatus | None = None,
    kind: Skill | None = None,
    without_volunteer: bool = False,
) -> Page[NeedRead]:
    region = division or principal.region
    principal.ensure_covers(region)
    rows, cursor = await repository.list_needs(
        context.session,
        paging,
        region_prefix=divisions.prefix(region),
        status=status,
        kind=kind,
        without_volunteer=without_volunteer,
    )
    return Page(items=[need_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/needs/{need_id}", response_model=NeedRead, tags=["needs"], summary="需求详情 / a need"
)
async def get_need(need_id: IdPath, context: Context, principal: Official) -> NeedRead:
    return need_read(await service.need_in_scope(context, principal, need_id))


@router.get(
    "/needs/{need_id}/candidates",
    response_model=list[Candidate],
    tags=["needs"],
    summary="匹配志愿者 / rank volunteers for a need",
    description="按技能匹配数、可服务时段、区划相近程度(共同区划层级)、星级排序;只在需求所在市内"
    "查找,排除已答复者和同一时段已接受其他需求者 / ranked by skills matched, availability, "
    "nearness in the division hierarchy and star level, within the need's city",
)
async def need_candidates(
    need_id: IdPath,
    context: Context,
    principal: Official,
    limit: Annotated[int, Query(ge=1, le=MAX_CANDIDATES)] = 20,
) -> list[Candidate]:
    need = await service.need_in_scope(context, principal, need_id)
    return await service.match(context, need, limit)


@router.post(
    "/needs/{need_id}/invitations",
    status_code=201,
    response_model=list[AssignmentRead],
    tags=["needs"],
    summary="邀请志愿者 / invite volunteers",
)
async def invite(
    need_id: IdPath, body: Invitation, context: Context, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    need = await service.need_in_scope(context, principal, need_id, for_update=True)
    assignments = await service.invite(context, principal, need, body.volunteer_ids)
    return await idempotent.respond([assignment_read(item) for item in assignments])


@router.get(
    "/needs/{need_id}/assignments",
    response_model=list[AssignmentRead],
    tags=["needs"],
    summary="需求的邀请与答复 / invitations and answers",
)
async def need_assignments(
    need_id: IdPath, context: Context, principal: Official
) -> list[AssignmentRead]:
    need = await service.need_in_scope(context, principal, need_id)
    return [
        assignment_read(item) for item in await repository.assignments_of(context.session, need.id)
    ]


@router.post(
    "/needs/{need_id}/close",
    response_model=NeedRead,
    tags=["needs"],
    summary="关闭需求(已服务或取消)/ close a need: served or cancelled",
)
async def close_need(
    need_id: IdPath, body: NeedClosing, context: Context, principal: Official
) -> NeedRead:
    need = await service.need_in_scope(context, principal, need_id, for_update=True)
    return need_read(await service.close_need(context, principal, need, body))


# Officials' questions


@router.get(
    "/reports/volunteers",
    response_model=VolunteerReport,
    tags=["reports"],
    summary="志愿者注册情况 / volunteers registered in a region",
    description="按下一级区划统计在册、手语、经培训手语、已退出人数及星级分布",
)
async def volunteers_report(
    context: Context,
    principal: Official,
    division: Annotated[DivisionCode | None, Query(description="区划,默认本人辖区")] = None,
) -> VolunteerReport:
    code = division or principal.region
    principal.ensure_covers(code)
    rows = await repository.volunteer_counts(context.session, code)
    children: dict[str, VolunteerCounts] = {}
    total = _empty_counts(code)
    for row in rows:
        child_code = row.child.ljust(12, "0")
        counts = children.setdefault(child_code, _empty_counts(child_code))
        for target in (counts, total):
            target.registered += row.registered
            target.sign_language += row.sign_language
            target.sign_language_trained += row.trained
            target.left += row.left
            target.by_star_level[row.star_level] += row.registered
    return VolunteerReport(
        division_code=code, total=total, rows=[children[key] for key in sorted(children)]
    )


def _empty_counts(code: str) -> VolunteerCounts:
    return VolunteerCounts(
        division_code=code,
        registered=0,
        sign_language=0,
        sign_language_trained=0,
        left=0,
        by_star_level=[0] * 6,
    )


@router.get(
    "/reports/service",
    response_model=ServiceReport,
    tags=["reports"],
    summary="服务时长与人次 / hours and person-times served per region and period",
    description="只计已确认的记录;按服务日期(北京时间)和服务地区划统计 / confirmed records "
    "only, by the China-time date and the division where the service was given",
)
async def service_report(
    context: Context,
    principal: Official,
    served_from: Annotated[date, Query(alias="from", description="起始日期(含)")],
    served_to: Annotated[date, Query(alias="to", description="结束日期(含)")],
    division: Annotated[DivisionCode | None, Query(description="区划,默认本人辖区")] = None,
    by_month: Annotated[bool, Query(description="按月分列 / one row per month too")] = False,
) -> ServiceReport:
    code = division or principal.region
    principal.ensure_covers(code)
    service.check_period(served_from, served_to)
    rows, total = await repository.service_totals(
        context.session, code, served_from, served_to, by_month=by_month
    )
    return ServiceReport(
        division_code=code,
        served_from=served_from,
        served_to=served_to,
        total=_totals(code, total),
        rows=[
            _totals(row.child.ljust(12, "0"), row, getattr(row, "served_month", None))
            for row in rows
        ],
    )


def _totals(code: str, row: object, month: str | None = None) -> ServiceTotals:
    return ServiceTotals(
        division_code=code,
        month=month,
        records=int(getattr(row, "records", 0)),
        volunteers=int(getattr(row, "volunteers", 0)),
        hours=service.hours_of(int(getattr(row, "minutes", 0))),
        person_times=int(getattr(row, "person_times", 0)),
    )


# Snapshots for the metrics reconciliation

WithinFilter = Annotated[
    DivisionCode | None,
    Query(description="区划内(须在管辖范围内)/ within this division (inside your scope)"),
]


def _within(principal: auth.Principal, within: str | None) -> str:
    if within is None:
        return principal.region_prefix
    principal.ensure_covers(within)
    return divisions.prefix(within)


@router.get(
    "/volunteer-snapshots",
    response_model=Page[VolunteerSnapshot],
    tags=["reconciliation"],
    summary="志愿者快照(与事件同形,供指标核对)/ volunteer snapshots shaped as the events, "
    "for reconciliation",
    description="不含姓名、电话等个人信息 / nothing personal: no name, phone or ID",
)
async def volunteer_snapshots(
    context: Context, principal: Official, paging: Paging, within: WithinFilter = None
) -> Page[VolunteerSnapshot]:
    rows, cursor = await paginate(
        context.session,
        repository.volunteers_within(_within(principal, within)),
        [Volunteer.id],
        paging,
    )
    return Page(items=[service.snapshot(row) for row in rows], next_cursor=cursor)


@router.get(
    "/service-record-snapshots",
    response_model=Page[ServiceRecordConfirmed],
    tags=["reconciliation"],
    summary="已确认服务记录快照(与事件同形,供指标核对)/ confirmed service records shaped as "
    "the events, for reconciliation",
)
async def service_record_snapshots(
    context: Context, principal: Official, paging: Paging, within: WithinFilter = None
) -> Page[ServiceRecordConfirmed]:
    rows, cursor = await paginate(
        context.session,
        repository.confirmed_records_within(_within(principal, within)),
        [ServiceRecord.id],
        paging,
    )
    homes = await repository.divisions_of_volunteers(
        context.session, {row.volunteer_id for row in rows}
    )
    return Page(
        items=[service.record_snapshot(row, homes[row.volunteer_id]) for row in rows],
        next_cursor=cursor,
    )
