"""HTTP routes of the reconciliation snapshots (shaped as the events, nothing personal)."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common import divisions
from canlian.common.dependencies import Session
from canlian.common.events.members import (
    AppointmentSnapshot,
    AssessmentDecided,
    MemberSnapshot,
    MemberTrained,
)
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.query_parameters import RegionOrWithin
from canlian.members.api import Official, region_of
from canlian.members.appointments import repository as appointments_repository
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.service import snapshots
from canlian.members.archive import repository as archive_repository
from canlian.members.archive.models import Member
from canlian.members.archive.service import member_snapshot
from canlian.members.assessments import repository as assessments_repository
from canlian.members.assessments.models import Assessment
from canlian.members.assessments.service import decided_event
from canlian.members.training import repository as training_repository
from canlian.members.training.models import Training
from canlian.members.training.service import training_event

router = APIRouter(prefix="/v1", tags=["核对 / reconciliation"])


@router.get(
    "/appointment-snapshots",
    response_model=Page[AppointmentSnapshot],
    summary="聘任快照(与事件同形,供指标核对)/ appointment snapshots shaped as the events",
)
async def appointment_snapshots(
    session: Session, principal: Official, paging: Paging, within: RegionOrWithin
) -> Page[AppointmentSnapshot]:
    statement = appointments_repository.appointments_with_members_in(
        divisions.prefix(region_of(principal, within))
    )
    rows, cursor = await paginate(session, statement, [Appointment.id], paging)
    return Page(
        items=[
            AppointmentSnapshot(**found)
            for found in await snapshots(session, [(row, row.member) for row in rows])
        ],
        next_cursor=cursor,
    )


@router.get(
    "/member-snapshots",
    response_model=Page[MemberSnapshot],
    summary="档案快照(与事件同形,不含个人信息)/ archive snapshots shaped as the events",
)
async def member_snapshots(
    session: Session, principal: Official, paging: Paging, within: RegionOrWithin
) -> Page[MemberSnapshot]:
    statement = archive_repository.members_in(divisions.prefix(region_of(principal, within)))
    rows, cursor = await paginate(session, statement, [Member.id], paging)
    return Page(items=[MemberSnapshot(**member_snapshot(row)) for row in rows], next_cursor=cursor)


@router.get(
    "/training-snapshots",
    response_model=Page[MemberTrained],
    summary="培训记录快照(与事件同形)/ training records shaped as the events",
)
async def training_snapshots(
    session: Session, principal: Official, paging: Paging, within: RegionOrWithin
) -> Page[MemberTrained]:
    statement = training_repository.trainings_in(divisions.prefix(region_of(principal, within)))
    rows, cursor = await paginate(session, statement, [Training.id], paging)
    return Page(items=[training_event(row) for row in rows], next_cursor=cursor)


@router.get(
    "/assessment-decision-snapshots",
    response_model=Page[AssessmentDecided],
    summary="年度考核结论快照(与事件同形)/ decided annual assessments shaped as the events",
)
async def assessment_decision_snapshots(
    session: Session, principal: Official, paging: Paging, within: RegionOrWithin
) -> Page[AssessmentDecided]:
    statement = assessments_repository.decided_assessments_in(
        divisions.prefix(region_of(principal, within))
    )
    rows, cursor = await paginate(session, statement, [Assessment.id], paging)
    return Page(items=[decided_event(row) for row in rows], next_cursor=cursor)
