"""HTTP routes of training records and the training questions officials ask."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from canlian.common import divisions
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.members.api import AsOf, Official, RegionQuery, region_of
from canlian.members.archive.models import Member
from canlian.members.archive.responses import member_read
from canlian.members.archive.schemas import MemberId, MemberRead
from canlian.members.archive.service import get_member
from canlian.members.clock import today_in_china
from canlian.members.training import repository, rotation, service
from canlian.members.training.models import Training
from canlian.members.training.plan_periods import plan_period
from canlian.members.training.schemas import (
    EducationReport,
    RotationReport,
    TrainingCoverage,
    TrainingCreate,
    TrainingRead,
)

router = APIRouter(prefix="/v1")


def training_read(training: Training) -> TrainingRead:
    return TrainingRead(
        id=training.id,
        member_id=training.member_id,
        division_code=training.division_code,
        course=training.course,
        hours=training.hours,
        held_on=training.held_on,
        organiser=training.organiser,
        plan_period=plan_period(training.held_on).name,
    )


@router.post(
    "/members/{member_id}/trainings",
    status_code=201,
    openapi_extra=created("/v1/members/{member_id}/trainings"),
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
    member = await get_member(session, principal, member_id)
    rows, cursor = await paginate(
        session, repository.trainings_of(member.id), [Training.held_on, Training.id], paging
    )
    return Page(items=[training_read(row) for row in rows], next_cursor=cursor)


# Questions officials ask about training


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
    prefix = divisions.prefix(region_of(principal, region))
    period = plan_period(as_of or today_in_china())
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
    scope = region_of(principal, region)
    period = plan_period(as_of or today_in_china())
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
    "/reports/yearly-rotation",
    response_model=RotationReport,
    tags=["统计 / reports"],
    summary="乡镇干部年度轮训(每年一次):各乡镇、各县区 / township cadres' yearly rotation, per "
    "township and county",
    description="种子 003:每年对乡镇干部轮训一次;乡镇干部为档案区划在乡镇(街道)一级、在岗的人员,"
    "本年内(1月1日至统计日期)有培训记录即为已轮训 / seed 003: township cadres are trained once "
    "a year; a cadre holding a post whose archive lies at a township counts as trained with a "
    "training this calendar year up to the date",
)
async def yearly_rotation(
    session: Session, principal: Official, region: RegionQuery = None, as_of: AsOf = None
) -> RotationReport:
    scope = region_of(principal, region)
    return await service.rotation_report(session, scope, as_of or today_in_china())


@router.get(
    "/reports/yearly-rotation/overdue",
    response_model=Page[MemberRead],
    tags=["统计 / reports"],
    summary="本年尚未轮训的乡镇干部 / township cadres not yet trained this year",
)
async def yearly_rotation_overdue(
    session: Session,
    runtime: Runtime,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    as_of: AsOf = None,
) -> Page[MemberRead]:
    prefix = divisions.prefix(region_of(principal, region))
    first, last = rotation.rotation_year(as_of or today_in_china())
    rows, cursor = await paginate(
        session, repository.overdue_township_cadres(prefix, first, last), [Member.id], paging
    )
    return Page(items=[member_read(runtime.personal_data, row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/education-goals",
    response_model=EducationReport,
    tags=["统计 / reports"],
    summary="县级、乡镇干部大专及以上学历比例与目标 / cadres' college share against the goals",
    description="种子 003:县级残联干部70%、乡镇干部50%以上达到大专学历;目标为地区政策参数 "
    "education.county_college_share / education.township_college_share / seed 003's goals "
    "as regional policy values",
)
async def education_goals(
    session: Session, principal: Official, region: RegionQuery = None, as_of: AsOf = None
) -> EducationReport:
    scope = region_of(principal, region)
    return await service.education_report(session, scope, as_of or today_in_china())
