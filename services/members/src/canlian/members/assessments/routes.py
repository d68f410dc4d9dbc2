"""HTTP routes of the annual assessment."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from canlian.common import divisions
from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.members.api import AsOf, Official, RegionQuery, region_of
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.schemas import AppointmentId
from canlian.members.assessments import repository, service
from canlian.members.assessments.models import Assessment
from canlian.members.assessments.schemas import (
    AssessmentCreate,
    AssessmentId,
    AssessmentRead,
    ContractWithoutAssessment,
)

router = APIRouter(prefix="/v1", tags=["考核与培训 / assessment and training"])


def assessment_read(assessment: Assessment) -> AssessmentRead:
    return AssessmentRead.model_validate(assessment, from_attributes=True)


@router.post(
    "/appointments/{appointment_id}/assessments",
    status_code=201,
    openapi_extra=created("/v1/assessments/{id}"),
    response_model=AssessmentRead,
    summary="录入年度考核并据等次决定续聘、限期改进或解聘 / record the annual assessment; its "
    "grade renews the contract, sets an improvement plan or dismisses",
    description="综合得分 = 绩效考评 × 地区权重 + 残疾人评价 × (1 − 权重);If-Match 为聘任的 "
    "ETag(续聘或解聘会产生聘任的新版本)/ combined = performance × the region's weight + "
    "evaluation × (1 − weight); If-Match is the appointment's ETag (a renewal or dismissal is "
    "a new version of it)",
)
async def record_assessment(
    appointment_id: AppointmentId,
    body: AssessmentCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> JSONResponse:
    assessment = await service.record_assessment(
        session, runtime, principal, appointment_id, body, precondition
    )
    reply = await idempotent.respond(assessment_read(assessment))
    reply.headers["ETag"] = etag(1)
    return reply


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


@router.get("/assessments/{assessment_id}", response_model=AssessmentRead)
async def get_assessment(
    assessment_id: AssessmentId, session: Session, principal: Official, response: Response
) -> AssessmentRead:
    assessment = await service.get_assessment(session, principal, assessment_id)
    response.headers["ETag"] = etag(1)  # an assessment is never changed
    return assessment_read(assessment)


@router.get(
    "/reports/contracts-without-assessment",
    response_model=Page[ContractWithoutAssessment],
    tags=["统计 / reports"],
    summary="合同将到期而未考核的聘任 / contracts ending with no assessment to renew on",
    description="在岗、合同在N天内到期,且无合同最后一年或前一年的年度考核 / held posts whose "
    "contract ends within N days with no assessment of its last year or the year before",
)
async def contracts_without_assessment(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    within_days: Annotated[int, Query(ge=0, le=3660, description="天数 / days")] = 90,
    as_of: AsOf = None,
    include_overdue: Annotated[
        bool, Query(description="含已到期仍在岗的 / also contracts already ended but still held")
    ] = False,
) -> Page[ContractWithoutAssessment]:
    prefix = divisions.prefix(region_of(principal, region))
    first = as_of or china_today()
    statement = repository.contracts_without_assessment(
        prefix, None if include_overdue else first, first + timedelta(days=within_days)
    )
    rows, cursor = await paginate(
        session, statement, [Appointment.contract_end, Appointment.id], paging
    )
    return Page(
        items=[
            ContractWithoutAssessment(
                appointment_id=row.id,
                member_id=row.member_id,
                organisation_id=row.organisation_id,
                division_code=row.division_code,
                post=row.post,
                contract_end=row.contract_end,
                last_assessed_year=row.last_assessed_year,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )
