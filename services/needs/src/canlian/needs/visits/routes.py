"""Home visits: one, an offline batch, the list, one visit, and visits due per area."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from canlian.common import audit
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, Runtime
from canlian.common.divisions import DivisionCode
from canlian.common.errors import OutsideScope
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging
from canlian.common.problems import language_of
from canlian.common.sorting import SortOrder, sorting
from canlian.needs.context import Context
from canlian.needs.dependencies import ID_PATTERN, IdPath, OfficialContext, region_prefix
from canlian.needs.visits import reports, repository, service
from canlian.needs.visits.models import Visit
from canlian.needs.visits.schemas import (
    BatchOutcome,
    BatchResult,
    MemberVisitsDueReport,
    ReportLevel,
    VisitBatch,
    VisitCreate,
    VisitRead,
    VisitsDueReport,
)
from canlian.needs.visits.views import visit_read

# An official recording a visit in a member's name: the audit log says who and for whom
# (the visit keeps the official in `recorded_by` beside the member).
RECORDED_FOR_MEMBER = "visit.recorded-for-member"


async def _audit_for_member(
    context: Context, runtime: Runtime, member_id: str, visit_ids: list[str]
) -> None:
    for visit_id in visit_ids:
        await audit.record_audit(
            context.session,
            runtime.tables,
            context.principal,
            action=RECORDED_FOR_MEMBER,
            object_type="visit",
            object_id=visit_id,
            reason=f"member_id={member_id}",
        )


# By region (default), by the day visited, or by the time recorded.
VISIT_ORDERS = sorting(
    {
        "division_code": [Visit.division_code, Visit.id],
        "visited_on": [Visit.visited_on, Visit.id],
        "recorded_at": [Visit.recorded_at, Visit.id],
    },
    default="division_code",
)
VisitOrder = Annotated[SortOrder, Depends(VISIT_ORDERS)]

router = APIRouter(prefix="/v1", tags=["visits 入户访视"])


@router.post(
    "/visits",
    response_model=VisitRead,
    status_code=201,
    openapi_extra=created("/v1/visits/{id}"),
    summary="记录一次入户访视 / record a home visit",
    description="户籍地不在该专职委员服务范围内时返回 403 / 403 outside the member's area",
)
async def record_visit(
    body: VisitCreate, context: OfficialContext, runtime: Runtime, idempotent: Idempotent
) -> Response:
    visit, recorded = await service.record_one(context, body.member_id, body)
    if recorded:
        await _audit_for_member(context, runtime, body.member_id, [visit.id])
    return await idempotent.respond(visit_read(visit), status_code=201)


@router.post(
    "/visits/batch",
    response_model=BatchResult,
    summary="离线批量上传访视 / an offline batch of visits",
    description="每条按客户端编号只记录一次;重发的为 duplicate / each client id is "
    "recorded once; a resent visit is a duplicate",
)
async def record_batch(
    body: VisitBatch,
    context: OfficialContext,
    runtime: Runtime,
    request: Request,
    idempotent: Idempotent,
) -> Response:
    result = await service.record_batch(context, body.member_id, body.visits, language_of(request))
    accepted = [
        r.visit_id for r in result.results if r.outcome == BatchOutcome.ACCEPTED and r.visit_id
    ]
    await _audit_for_member(context, runtime, body.member_id, accepted)
    return await idempotent.respond(result, status_code=200)


@router.get("/visits", response_model=Page[VisitRead], summary="访视记录 / visits in a region")
async def list_visits(
    context: OfficialContext,
    paging: Paging,
    order: VisitOrder,
    division: Annotated[
        DivisionCode | None, Query(alias="region", description="区划 / within")
    ] = None,
    member_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    household_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
) -> Page[VisitRead]:
    rows, cursor = await repository.list_visits(
        context.session,
        paging,
        region_prefix=region_prefix(context, division),
        member_id=member_id,
        household_id=household_id,
        order=order,
    )
    return Page(items=[visit_read(row) for row in rows], next_cursor=cursor)


@router.get("/visits/{visit_id}", response_model=VisitRead, summary="一次访视 / one visit")
async def get_visit(visit_id: IdPath, context: OfficialContext, response: Response) -> VisitRead:
    visit = await repository.get(context.session, visit_id)
    if visit is None or not context.principal.covers(visit.division_code):
        raise OutsideScope(what="访视记录")
    response.headers["ETag"] = etag(visit.version)
    return visit_read(visit)


@router.get(
    "/reports/visits-due",
    response_model=VisitsDueReport,
    summary="应访与逾期未访 / visits due and overdue per area",
)
async def visits_due(
    context: OfficialContext,
    division: Annotated[DivisionCode, Query(alias="region", description="区划 / the region")],
    level: Annotated[ReportLevel, Query(description="按县、乡镇或村汇总 / group by")] = (
        ReportLevel.VILLAGE
    ),
) -> VisitsDueReport:
    return await reports.visits_due(context, division, level)


@router.get(
    "/reports/visits-due/by-member",
    response_model=MemberVisitsDueReport,
    summary="各专职委员的应访与逾期 / visits due and overdue per committee member",
)
async def visits_due_by_member(
    context: OfficialContext,
    division: Annotated[DivisionCode, Query(alias="region", description="区划 / the region")],
) -> MemberVisitsDueReport:
    return await reports.visits_due_by_member(context, division)
