"""HTTP routes of the members service: parse, authorise, call the service."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from canlian.common import auth, divisions
from canlian.common.audit import AccessReason, record_unmasked_read
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.events.members import (
    AppointmentSnapshot,
    AppointmentStatus,
    DisabilityRelation,
    MemberKind,
    MemberSnapshot,
    MemberTrained,
    Post,
    PostLevel,
)
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.personal_data import PersonalDataProtector
from canlian.common.tabular_import import ImportReport, read_upload, upload_openapi
from canlian.members import repository, service
from canlian.members.models import (
    AllowanceMinimum,
    Appointment,
    Assessment,
    Member,
    Organisation,
    Training,
)
from canlian.members.schemas import (
    AllowanceMinimumRead,
    AllowanceMinimumSaved,
    AllowanceMinimumSet,
    AppointmentCreate,
    AppointmentDetail,
    AppointmentRead,
    AppointmentUpdate,
    AssessmentCreate,
    AssessmentRead,
    MemberCreate,
    MemberLookup,
    MemberPersonalData,
    MemberRead,
    MemberUpdate,
    OrganisationRead,
    StatusChangeRead,
    TalentPoolSummary,
    TownshipSummary,
    TrainingCoverage,
    TrainingCreate,
    TrainingRead,
    TransitionCreate,
    VacancyRead,
)

router = APIRouter(prefix="/v1")

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
MemberId = Annotated[int, Path(ge=1, le=2**62, description="档案编号 / archive id")]
AppointmentId = Annotated[int, Path(ge=1, le=2**62, description="聘任编号 / appointment id")]
RegionQuery = Annotated[
    DivisionCode | None,
    Query(description="区划(默认为本人管辖范围)/ region, defaults to your scope"),
]
AsOf = Annotated[
    date | None, Query(description="统计日期(默认今天)/ as of this date, default today")
]


def _region(principal: auth.Principal, region: str | None) -> str:
    if region is None:
        return principal.region
    principal.ensure_covers(region)
    return region


def member_read(protector: PersonalDataProtector, member: Member) -> MemberRead:
    return MemberRead(
        id=member.id,
        kind=MemberKind(member.kind),
        division_code=member.division_code,
        name=service.masked_name(protector, member),
        citizen_id=service.masked_citizen_id(protector, member),
        phone=service.masked_phone(protector, member),
        sex="male" if member.sex == "male" else "female",
        birth_year=member.birth_year,
        disability_relation=DisabilityRelation(member.disability_relation),
        disability_category=member.disability_category,
        disability_grade=member.disability_grade,
        education=member.education,
        in_talent_pool=member.in_talent_pool,
        reserve_cadre=member.reserve_cadre,
        version=member.version,
        created_at=member.created_at,
        updated_at=member.updated_at,
        updated_by=member.updated_by,
    )


def appointment_read(appointment: Appointment) -> AppointmentRead:
    return AppointmentRead.model_validate(
        {
            **{
                column: getattr(appointment, column)
                for column in AppointmentRead.model_fields
                if column != "post_level"
            },
            "post_level": service.post_level_of(appointment.division_code),
        }
    )


def appointment_detail(appointment: Appointment) -> AppointmentDetail:
    return AppointmentDetail(
        **appointment_read(appointment).model_dump(),
        history=[
            StatusChangeRead(
                from_status=AppointmentStatus(change.from_status) if change.from_status else None,
                to_status=AppointmentStatus(change.to_status),
                effective_on=change.effective_on,
                reason=change.reason,
                recorded_by=change.recorded_by,
                recorded_at=change.recorded_at,
            )
            for change in appointment.history
        ],
    )


def assessment_read(assessment: Assessment) -> AssessmentRead:
    return AssessmentRead.model_validate(assessment, from_attributes=True)


def training_read(training: Training) -> TrainingRead:
    return TrainingRead(
        id=training.id,
        member_id=training.member_id,
        division_code=training.division_code,
        course=training.course,
        hours=training.hours,
        held_on=training.held_on,
        organiser=training.organiser,
        plan_period=service.plan_period(training.held_on).name,
    )


def allowance_read(row: AllowanceMinimum) -> AllowanceMinimumRead:
    return AllowanceMinimumRead(
        division_code=row.division_code,
        post_level=PostLevel(row.post_level),
        monthly_minimum_yuan=row.monthly_minimum_yuan,
        basis=row.basis,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


# Real-name archive


@router.post(
    "/members",
    status_code=201,
    response_model=MemberRead,
    tags=["档案 / archive"],
    summary="登记人员档案 / register a person in the real-name archive",
)
async def register_member(
    body: MemberCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    member = await service.register_member(session, runtime, principal, body)
    return await idempotent.respond(member_read(runtime.personal_data, member))


@router.get(
    "/members",
    response_model=Page[MemberRead],
    tags=["档案 / archive"],
    summary="人员档案列表 / list the archive",
)
async def list_members(
    session: Session,
    runtime: Runtime,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    kind: Annotated[MemberKind | None, Query(description="人员类别 / kind")] = None,
    in_talent_pool: Annotated[bool | None, Query(description="人才库 / talent pool")] = None,
    reserve_cadre: Annotated[bool | None, Query(description="后备干部 / reserve")] = None,
    disability_relation: Annotated[
        DisabilityRelation | None, Query(description="残疾人或亲属 / relation")
    ] = None,
) -> Page[MemberRead]:
    prefix = divisions.prefix(_region(principal, region))
    statement = repository.members_in(
        prefix,
        kind=kind,
        in_talent_pool=in_talent_pool,
        reserve_cadre=reserve_cadre,
        disability_relation=disability_relation,
    )
    rows, cursor = await paginate(session, statement, [Member.id], paging)
    return Page(items=[member_read(runtime.personal_data, row) for row in rows], next_cursor=cursor)


@router.post(
    "/members/lookup",
    response_model=MemberRead,
    tags=["档案 / archive"],
    summary="按公民身份号码查找档案(号码放在请求体中,不进日志)/ find by citizen ID",
)
async def lookup_member(
    body: MemberLookup, session: Session, runtime: Runtime, principal: Official
) -> MemberRead:
    member = await service.find_member(session, runtime, principal, body.citizen_id)
    return member_read(runtime.personal_data, member)


@router.get("/members/{member_id}", response_model=MemberRead, tags=["档案 / archive"])
async def get_member(
    member_id: MemberId, session: Session, runtime: Runtime, principal: Official
) -> MemberRead:
    member = await service.get_member(session, principal, member_id)
    return member_read(runtime.personal_data, member)


@router.patch(
    "/members/{member_id}",
    response_model=MemberRead,
    tags=["档案 / archive"],
    summary="修改档案(联系方式、残疾情况、人才库、后备干部)/ update the archive entry",
)
async def update_member(
    member_id: MemberId,
    body: MemberUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
) -> MemberRead:
    member = await service.update_member(session, runtime, principal, member_id, body)
    return member_read(runtime.personal_data, member)


@router.get(
    "/members/{member_id}/personal-data",
    response_model=MemberPersonalData,
    tags=["档案 / archive"],
    summary="查看未脱敏个人信息(需授权并记录审计)/ unmasked personal data, audited",
    description="X-Access-Reason 中的中文请按 UTF-8 百分号编码 / percent-encode a Chinese "
    "reason (UTF-8) in X-Access-Reason.",
)
async def reveal_personal_data(
    member_id: MemberId,
    session: Session,
    runtime: Runtime,
    principal: Official,
    reason: AccessReason = None,
) -> MemberPersonalData:
    member = await service.get_member(session, principal, member_id)
    await record_unmasked_read(
        session,
        runtime.tables,
        principal,
        object_type="member",
        object_id=str(member.id),
        # HTTP headers are ASCII: a Chinese reason arrives percent-encoded (UTF-8).
        reason=reason,
    )
    protector = runtime.personal_data
    return MemberPersonalData(
        id=member.id,
        name=protector.decrypt(member.name_ciphertext),
        citizen_id=protector.decrypt(member.citizen_id_ciphertext),
        phone=protector.decrypt(member.phone_ciphertext) if member.phone_ciphertext else None,
    )


# Appointments


@router.post(
    "/members/{member_id}/appointments",
    status_code=201,
    response_model=AppointmentRead,
    tags=["聘任 / appointments"],
    summary="聘任到组织岗位 / appoint to an organisation's post",
)
async def appoint(
    member_id: MemberId,
    body: AppointmentCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    appointment = await service.appoint(session, runtime, principal, member_id, body)
    return await idempotent.respond(appointment_read(appointment))


@router.get("/appointments", response_model=Page[AppointmentRead], tags=["聘任 / appointments"])
async def list_appointments(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    status: Annotated[AppointmentStatus | None, Query(description="状态 / status")] = None,
    post: Annotated[Post | None, Query(description="岗位 / post")] = None,
    organisation_id: Annotated[str | None, Query(max_length=64)] = None,
    member_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(_region(principal, region))
    statement = repository.appointments_in(
        prefix, status=status, post=post, organisation_id=organisation_id, member_id=member_id
    )
    rows, cursor = await paginate(session, statement, [Appointment.id], paging)
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/appointments/{appointment_id}",
    response_model=AppointmentDetail,
    tags=["聘任 / appointments"],
)
async def get_appointment(
    appointment_id: AppointmentId, session: Session, principal: Official
) -> AppointmentDetail:
    appointment = await service.get_appointment(session, principal, appointment_id, history=True)
    return appointment_detail(appointment)


@router.patch(
    "/appointments/{appointment_id}",
    response_model=AppointmentRead,
    tags=["聘任 / appointments"],
    summary="修改合同与待遇 / change contract dates and pay",
)
async def update_appointment(
    appointment_id: AppointmentId,
    body: AppointmentUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
) -> AppointmentRead:
    appointment = await service.update_appointment(
        session, runtime, principal, appointment_id, body
    )
    return appointment_read(appointment)


@router.post(
    "/appointments/{appointment_id}/transitions",
    response_model=AppointmentDetail,
    tags=["聘任 / appointments"],
    summary="变更聘任状态(在岗、暂停、解聘、辞职)/ change the appointment's status",
)
async def transition(
    appointment_id: AppointmentId,
    body: TransitionCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    await service.transition(session, runtime, principal, appointment_id, body)
    appointment = await service.get_appointment(session, principal, appointment_id, history=True)
    return await idempotent.respond(appointment_detail(appointment), status_code=200)


# Assessments and training


@router.post(
    "/appointments/{appointment_id}/assessments",
    status_code=201,
    response_model=AssessmentRead,
    tags=["考核与培训 / assessment and training"],
    summary="录入年度考核 / record the annual assessment",
)
async def record_assessment(
    appointment_id: AppointmentId,
    body: AssessmentCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    assessment = await service.record_assessment(session, runtime, principal, appointment_id, body)
    return await idempotent.respond(assessment_read(assessment))


@router.get(
    "/assessments",
    response_model=Page[AssessmentRead],
    tags=["考核与培训 / assessment and training"],
)
async def list_assessments(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    member_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[AssessmentRead]:
    prefix = divisions.prefix(_region(principal, region))
    statement = repository.assessments_in(prefix, member_id=member_id, year=year)
    rows, cursor = await paginate(session, statement, [Assessment.id], paging)
    return Page(items=[assessment_read(row) for row in rows], next_cursor=cursor)


@router.post(
    "/members/{member_id}/trainings",
    status_code=201,
    response_model=TrainingRead,
    tags=["考核与培训 / assessment and training"],
    summary="录入培训记录 / record a training",
)
async def record_training(
    member_id: MemberId,
    body: TrainingCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    training = await service.record_training(session, runtime, principal, member_id, body)
    return await idempotent.respond(training_read(training))


@router.get(
    "/members/{member_id}/trainings",
    response_model=Page[TrainingRead],
    tags=["考核与培训 / assessment and training"],
)
async def list_trainings(
    member_id: MemberId, session: Session, principal: Official, paging: Paging
) -> Page[TrainingRead]:
    member = await service.get_member(session, principal, member_id)
    rows, cursor = await paginate(
        session, repository.trainings_of(member.id), [Training.held_on, Training.id], paging
    )
    return Page(items=[training_read(row) for row in rows], next_cursor=cursor)


# Regional allowance minimums


@router.put(
    "/allowance-minimums/{division_code}/{post_level}",
    response_model=AllowanceMinimumSaved,
    tags=["补贴标准 / allowance policy"],
    summary="设置地区最低补贴标准(就近上级适用)/ set a region's allowance minimum",
)
async def set_allowance_minimum(
    division_code: Annotated[DivisionCode, Path(description="区划 / region")],
    post_level: Annotated[PostLevel, Path(description="岗位层级 / township or village")],
    body: AllowanceMinimumSet,
    session: Session,
    runtime: Runtime,
    principal: Official,
) -> AllowanceMinimumSaved:
    row, rechecked, changed = await service.set_allowance_minimum(
        session, runtime, principal, division_code, post_level, body
    )
    return AllowanceMinimumSaved(
        **allowance_read(row).model_dump(),
        appointments_rechecked=rechecked,
        compliance_changed=changed,
    )


@router.get(
    "/allowance-minimums",
    response_model=Page[AllowanceMinimumRead],
    tags=["补贴标准 / allowance policy"],
)
async def list_allowance_minimums(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[AllowanceMinimumRead]:
    prefix = divisions.prefix(_region(principal, region))
    rows, cursor = await paginate(
        session,
        repository.allowance_minimums_in(prefix),
        [AllowanceMinimum.division_code, AllowanceMinimum.post_level],
        paging,
    )
    return Page(items=[allowance_read(row) for row in rows], next_cursor=cursor)


# Organisations known from the registry's events


@router.get(
    "/organisations",
    response_model=Page[OrganisationRead],
    tags=["组织 / organisations"],
    summary="组织登记中的组织(由事件同步)/ organisations as the registry announced them",
)
async def list_organisations(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[OrganisationRead]:
    prefix = divisions.prefix(_region(principal, region))
    rows, cursor = await paginate(
        session, repository.organisations_in(prefix), [Organisation.organisation_id], paging
    )
    return Page(
        items=[
            OrganisationRead(
                organisation_id=row.organisation_id,
                name=row.name,
                kind=row.kind,
                level=row.level,
                division_code=row.division_code,
                status=row.status,
                covered_divisions=[item.division_code for item in row.coverage],
                version=row.version,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


# Questions officials ask


@router.get(
    "/reports/vacancies",
    response_model=Page[VacancyRead],
    tags=["统计 / reports"],
    summary="未配备在岗专职委员的乡镇和村 / townships and villages without an active member",
)
async def vacancies(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    level: Annotated[
        PostLevel | None, Query(description="只看乡镇或村 / only townships or villages")
    ] = None,
) -> Page[VacancyRead]:
    prefix = divisions.prefix(_region(principal, region))
    levels = {PostLevel.TOWNSHIP: 4, PostLevel.VILLAGE: 5}
    statement = repository.vacancies(prefix, levels[level] if level else None)
    columns = statement.selected_columns
    rows, cursor = await paginate(
        session, statement, [columns.division_code, columns.organisation_id], paging
    )
    return Page(
        items=[
            VacancyRead(
                division_code=row.division_code,
                level=PostLevel.TOWNSHIP if row.level == 4 else PostLevel.VILLAGE,
                organisation_id=row.organisation_id,
                organisation_name=row.name,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


@router.get(
    "/reports/posts-at-dissolved-organisations",
    response_model=Page[AppointmentRead],
    tags=["统计 / reports"],
    summary="组织已撤销但仍在岗的聘任(需转聘或办理离岗)/ posts held at dissolved organisations",
)
async def posts_at_dissolved_organisations(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(_region(principal, region))
    rows, cursor = await paginate(
        session, repository.held_at_dissolved(prefix), [Appointment.id], paging
    )
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/contracts-ending",
    response_model=Page[AppointmentRead],
    tags=["统计 / reports"],
    summary="合同将在N天内到期的人员 / contracts ending within N days",
)
async def contracts_ending(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    within_days: Annotated[int, Query(ge=0, le=3660, description="天数 / days")] = 60,
    as_of: AsOf = None,
    include_overdue: Annotated[
        bool, Query(description="含已到期仍在岗的 / also contracts already ended but still held")
    ] = False,
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(_region(principal, region))
    first = as_of or service.today_in_china()
    statement = repository.contracts_ending(
        prefix, None if include_overdue else first, first + timedelta(days=within_days)
    )
    rows, cursor = await paginate(
        session, statement, [Appointment.contract_end, Appointment.id], paging
    )
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/allowance-non-compliance",
    response_model=Page[AppointmentRead],
    tags=["统计 / reports"],
    summary="补贴低于地区最低标准的聘任 / allowances below the regional minimum",
)
async def allowance_non_compliance(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(_region(principal, region))
    rows, cursor = await paginate(
        session,
        repository.allowance_non_compliant(prefix),
        [Appointment.division_code, Appointment.id],
        paging,
    )
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/untrained",
    response_model=Page[MemberRead],
    tags=["统计 / reports"],
    summary="本规划期内未参加培训的在岗人员 / not trained in the current plan period",
)
async def untrained(
    session: Session,
    runtime: Runtime,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    as_of: AsOf = None,
) -> Page[MemberRead]:
    prefix = divisions.prefix(_region(principal, region))
    period = service.plan_period(as_of or service.today_in_china())
    rows, cursor = await paginate(
        session, repository.untrained(prefix, period.start, period.end), [Member.id], paging
    )
    return Page(items=[member_read(runtime.personal_data, row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/training-coverage",
    response_model=TrainingCoverage,
    tags=["统计 / reports"],
    summary="五年规划期培训覆盖率 / five-year training coverage",
)
async def training_coverage(
    session: Session, principal: Official, region: RegionQuery = None, as_of: AsOf = None
) -> TrainingCoverage:
    scope = _region(principal, region)
    period = service.plan_period(as_of or service.today_in_china())
    workers, trained, person_times = await repository.training_coverage(
        session, divisions.prefix(scope), period.start, period.end
    )
    return TrainingCoverage(
        region=scope,
        plan_period=period,
        workers=workers,
        trained=trained,
        coverage=round(trained / workers, 4) if workers else 0.0,
        person_times=person_times,
    )


@router.get(
    "/reports/by-township",
    response_model=list[TownshipSummary],
    tags=["统计 / reports"],
    summary="按乡镇汇总:配备、缺配、补贴达标 / per township: staffing, vacancies, allowances",
)
async def by_township(
    session: Session, principal: Official, region: RegionQuery = None
) -> list[TownshipSummary]:
    scope = _region(principal, region)
    service.check_summary_region(scope)
    prefix = divisions.prefix(scope)
    places = await repository.township_place_counts(session, prefix)
    appointments = await repository.township_appointment_counts(session, prefix)
    summaries = []
    for code in sorted(set(places) | set(appointments)):
        total, vacant = places.get(code, (0, 0))
        active, non_compliant, welfare = appointments.get(code, (0, 0, 0))
        summaries.append(
            TownshipSummary(
                township_code=code.ljust(12, "0"),
                places=total,
                vacancies=vacant,
                active_committee_members=active,
                allowance_non_compliant=non_compliant,
                public_welfare_posts=welfare,
            )
        )
    return summaries


@router.get(
    "/reports/talent-pool",
    response_model=TalentPoolSummary,
    tags=["统计 / reports"],
    summary="优秀残疾人人才库与后备干部 / talent pool and reserve cadres",
)
async def talent_pool(
    session: Session, principal: Official, region: RegionQuery = None
) -> TalentPoolSummary:
    scope = _region(principal, region)
    pool, reserve = await repository.talent_pool_counts(session, divisions.prefix(scope))
    target = service.talent_pool_target(scope)
    return TalentPoolSummary(
        region=scope,
        in_talent_pool=pool,
        reserve_cadres=reserve,
        target=target,
        target_met=None if target is None else pool >= target,
    )


# Roster import


@router.get(
    "/exports/roster",
    tags=["导入 / import"],
    summary="导出在岗人员花名册(Excel,已脱敏)/ export the current roster as Excel, masked",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}
    },
)
async def export_roster(
    session: Session, runtime: Runtime, principal: Official, region: RegionQuery = None
) -> Response:
    scope = _region(principal, region)
    held = await repository.held_with_members(session, divisions.prefix(scope))
    return Response(
        service.roster_workbook(runtime.personal_data, held),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="roster-{scope}.xlsx"'},
    )


@router.get(
    "/imports/roster/template",
    tags=["导入 / import"],
    summary="下载花名册模板(CSV)/ download the roster template",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def roster_template(_principal: Official) -> Response:
    return Response(
        service.roster_template(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="roster-template.csv"'},
    )


_UPLOAD_BODY = upload_openapi("花名册 .xlsx 或 .csv / the roster file")


@router.post(
    "/imports/roster",
    response_model=ImportReport,
    status_code=201,
    tags=["导入 / import"],
    summary="从 Excel/CSV 导入花名册 / import a roster from Excel or CSV",
    description="默认全部成功才写入(有错时返回 422 和逐行报告);dry_run 只校验;"
    "all_or_nothing=false 只导入有效行。表头可用中文列名(姓名、公民身份号码、组织编号……)。 / "
    "All-or-nothing by default (422 with the report by row when any row is bad); dry_run only "
    "validates; all_or_nothing=false writes the valid rows only. Chinese headers are accepted.",
    openapi_extra=_UPLOAD_BODY,
)
async def import_roster(
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    dry_run: Annotated[bool, Query(description="只校验不写入 / validate only")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="有错误时全部不导入(默认)/ nothing imported if any row fails")
    ] = True,
) -> JSONResponse:
    content, filename = await read_upload(request)
    report = await service.import_roster(
        session,
        runtime,
        principal,
        content,
        filename,
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
    )
    return await idempotent.respond(report, status_code=200 if dry_run else 201)


# Reconciliation: current snapshots shaped exactly as the events, so the metrics service can
# recompute its rollups from this service's data. Nothing personal is in them.

Within = Annotated[
    DivisionCode | None,
    Query(description="只含该区划内的记录(默认为本人管辖范围)/ only within this region"),
]


@router.get(
    "/appointment-snapshots",
    response_model=Page[AppointmentSnapshot],
    tags=["核对 / reconciliation"],
    summary="聘任快照(与事件同形,供指标核对)/ appointment snapshots shaped as the events",
)
async def appointment_snapshots(
    session: Session, principal: Official, paging: Paging, within: Within = None
) -> Page[AppointmentSnapshot]:
    statement = repository.appointments_with_members_in(
        divisions.prefix(_region(principal, within))
    )
    rows, cursor = await paginate(session, statement, [Appointment.id], paging)
    return Page(
        items=[
            AppointmentSnapshot(**service.appointment_snapshot(row, row.member)) for row in rows
        ],
        next_cursor=cursor,
    )


@router.get(
    "/member-snapshots",
    response_model=Page[MemberSnapshot],
    tags=["核对 / reconciliation"],
    summary="档案快照(与事件同形,不含个人信息)/ archive snapshots shaped as the events",
)
async def member_snapshots(
    session: Session, principal: Official, paging: Paging, within: Within = None
) -> Page[MemberSnapshot]:
    statement = repository.members_in(divisions.prefix(_region(principal, within)))
    rows, cursor = await paginate(session, statement, [Member.id], paging)
    return Page(
        items=[MemberSnapshot(**service.member_snapshot(row)) for row in rows], next_cursor=cursor
    )


@router.get(
    "/training-snapshots",
    response_model=Page[MemberTrained],
    tags=["核对 / reconciliation"],
    summary="培训记录快照(与事件同形)/ training records shaped as the events",
)
async def training_snapshots(
    session: Session, principal: Official, paging: Paging, within: Within = None
) -> Page[MemberTrained]:
    statement = repository.trainings_in(divisions.prefix(_region(principal, within)))
    rows, cursor = await paginate(session, statement, [Training.id], paging)
    return Page(items=[service.training_event(row) for row in rows], next_cursor=cursor)
