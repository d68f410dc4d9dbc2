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
from canlian.members.training import repository, service
from canlian.members.training.models import Training
from canlian.members.training.plan_periods import plan_period
from canlian.members.training.schemas import TrainingCoverage, TrainingCreate, TrainingRead

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
