"""The mobile app's side, `/v1/me/...`: role `committee-member`, `sub` = the members
service's member id. The member comes from the token, never from the body, and reaches only
the places their held posts serve (403 elsewhere, 403 on every route once they hold none)."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from canlian.common import divisions
from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent
from canlian.common.errors import OutsideScope
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging
from canlian.common.problems import language_of
from canlian.needs.committee_members.service import own_area
from canlian.needs.dependencies import CommitteeMemberContext, IdPath
from canlian.needs.households import repository as households
from canlian.needs.households.schemas import HouseholdSummary
from canlian.needs.households.views import household_summary
from canlian.needs.visits import reports, service
from canlian.needs.visits import repository as visits
from canlian.needs.visits.schemas import (
    BatchResult,
    MyVisitBatch,
    MyVisitsDue,
    VisitInput,
    VisitRead,
)
from canlian.needs.visits.views import visit_read

DUE_SOON_DAYS = 7
router = APIRouter(
    prefix="/v1/me",
    tags=["me 专职委员"],
    responses={403: {"description": "不在任,或超出服务范围 / no post held, or outside the area"}},
)


class VisitFilter(StrEnum):
    OVERDUE = "overdue"  # 逾期未访
    DUE = "due"  # 7 天内到期(含逾期)


@router.post(
    "/visits",
    response_model=VisitRead,
    status_code=201,
    openapi_extra=created("/v1/me/visits/{id}"),
    summary="记录我的一次入户访视 / record one of my home visits",
    description="访视人即令牌的 sub;户籍地不在我的服务范围内时返回 403 / the visiting member "
    "is the token's `sub`; 403 outside the member's area",
)
async def record_my_visit(
    body: VisitInput, context: CommitteeMemberContext, idempotent: Idempotent
) -> Response:
    member_id = context.principal.subject
    await own_area(context.session, member_id)
    visit, _ = await service.record_one(context, member_id, body)
    return await idempotent.respond(visit_read(visit), status_code=201)


@router.post(
    "/visits/batch",
    response_model=BatchResult,
    summary="离线批量上传我的访视 / an offline batch of my visits",
    description="每条按客户端编号只记录一次;重发的为 duplicate;范围外的为 rejected / each "
    "client id is recorded once; a resent visit is a duplicate, one outside the area rejected",
)
async def record_my_batch(
    body: MyVisitBatch, context: CommitteeMemberContext, request: Request, idempotent: Idempotent
) -> Response:
    member_id = context.principal.subject
    await own_area(context.session, member_id)
    result = await service.record_batch(context, member_id, body.visits, language_of(request))
    return await idempotent.respond(result, status_code=200)


@router.get("/visits", response_model=Page[VisitRead], summary="我的访视 / my visits")
async def my_visits(context: CommitteeMemberContext, paging: Paging) -> Page[VisitRead]:
    member_id = context.principal.subject
    await own_area(context.session, member_id)
    rows, cursor = await visits.list_visits(
        context.session,
        paging,
        region_prefix=context.principal.region_prefix,
        member_id=member_id,
        household_id=None,
    )
    return Page(items=[visit_read(row) for row in rows], next_cursor=cursor)


@router.get("/visits/{visit_id}", response_model=VisitRead, summary="我的一次访视 / my visit")
async def my_visit(
    visit_id: IdPath, context: CommitteeMemberContext, response: Response
) -> VisitRead:
    member_id = context.principal.subject
    await own_area(context.session, member_id)
    visit = await visits.get(context.session, visit_id)
    if (
        visit is None
        or visit.member_id != member_id
        or not context.principal.covers(visit.division_code)
    ):
        raise OutsideScope(what="访视记录")
    response.headers["ETag"] = etag(visit.version)
    return visit_read(visit)


@router.get(
    "/households",
    response_model=Page[HouseholdSummary],
    summary="我服务的家庭(脱敏)/ the households I serve, masked",
)
async def my_households(
    context: CommitteeMemberContext,
    paging: Paging,
    visit: Annotated[
        VisitFilter | None, Query(description="overdue 逾期未访 / due 7 天内到期")
    ] = None,
) -> Page[HouseholdSummary]:
    places = await own_area(context.session, context.principal.subject)
    today = china_today()
    due_by = None
    if visit == VisitFilter.OVERDUE:
        due_by = today - timedelta(days=1)
    elif visit == VisitFilter.DUE:
        due_by = today + timedelta(days=DUE_SOON_DAYS)
    rows, cursor = await households.list_households_serving(
        context.session,
        paging,
        region_prefix=context.principal.region_prefix,
        place_prefixes=[divisions.prefix(place) for place in places],
        due_by=due_by,
    )
    return Page(items=[household_summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/visits-due",
    response_model=MyVisitsDue,
    summary="我的应访与逾期 / my visits due and overdue",
)
async def my_visits_due(context: CommitteeMemberContext) -> MyVisitsDue:
    places = await own_area(context.session, context.principal.subject)
    return await reports.visits_due_of_member(context, places)
