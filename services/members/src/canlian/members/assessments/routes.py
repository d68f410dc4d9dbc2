"""HTTP routes of the annual assessment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from canlian.common import divisions
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.pagination import Page, Paging, paginate
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.appointments.schemas import AppointmentId
from canlian.members.assessments import repository, service
from canlian.members.assessments.models import Assessment
from canlian.members.assessments.schemas import AssessmentCreate, AssessmentRead

router = APIRouter(prefix="/v1", tags=["考核与培训 / assessment and training"])


def assessment_read(assessment: Assessment) -> AssessmentRead:
    return AssessmentRead.model_validate(assessment, from_attributes=True)


@router.post(
    "/appointments/{appointment_id}/assessments",
    status_code=201,
    response_model=AssessmentRead,
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
)
async def list_assessments(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    member_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[AssessmentRead]:
    prefix = divisions.prefix(region_of(principal, region))
    statement = repository.assessments_in(prefix, member_id=member_id, year=year)
    rows, cursor = await paginate(session, statement, [Assessment.id], paging)
    return Page(items=[assessment_read(row) for row in rows], next_cursor=cursor)
