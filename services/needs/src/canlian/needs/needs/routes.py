"""Needs: the catalogue, recording (merged per household), the list, one need, and its
steps (assessment, referral, closing, rating, reopening), each with If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch
from canlian.common.divisions import DivisionCode
from canlian.common.events.needs import Channel, NeedStatus, ServiceKind
from canlian.common.locations import created
from canlian.common.pagination import Items, Page, Paging
from canlian.common.sorting import SortOrder, sorting
from canlian.needs.dependencies import ID_PATTERN, IdPath, OfficialContext, region_prefix
from canlian.needs.needs import escalation, repository, service, workflow
from canlian.needs.needs.categories import CATEGORIES
from canlian.needs.needs.models import Need
from canlian.needs.needs.schemas import (
    Assessment,
    CategoryRead,
    Closing,
    EscalationResult,
    NeedCreate,
    NeedRead,
    NeedSummary,
    Rating,
    Referral,
)
from canlian.needs.needs.views import need_read, need_summary

# By region (default), by the date recorded, or by the date due.
NEED_ORDERS = sorting(
    {
        "division_code": [Need.division_code, Need.id],
        "recorded_on": [Need.recorded_on, Need.id],
        "due_on": [Need.due_on, Need.id],
    },
    default="division_code",
)
NeedOrder = Annotated[SortOrder, Depends(NEED_ORDERS)]

router = APIRouter(prefix="/v1", tags=["needs 服务需求"])


def _respond(context: OfficialContext, need: Need, response: Response) -> NeedRead:
    response.headers["ETag"] = etag(need.version)
    return need_read(context.personal_data, need)


@router.get(
    "/need-categories",
    response_model=Items[CategoryRead],
    summary="需求类别目录 / the need catalogue",
)
async def need_categories(context: OfficialContext) -> Items[CategoryRead]:
    return Items(
        items=[
            CategoryRead(code=code, name_zh=zh, name_en=en) for code, (zh, en) in CATEGORIES.items()
        ]
    )


@router.post(
    "/needs",
    response_model=NeedRead,
    status_code=201,
    openapi_extra=created("/v1/needs/{id}"),
    summary="登记需求 / record a need",
    description="同一家庭同类未办结的需求合并为一条(200, merged=true)/ a household's open "
    "need of the same category takes the report (200, merged=true)",
    responses={200: {"model": NeedRead, "description": "并入已有需求 / merged"}},
)
async def record_need(
    body: NeedCreate, context: OfficialContext, idempotent: Idempotent
) -> Response:
    need, merged = await service.record(context, body)
    read = need_read(context.personal_data, need, merged=merged)
    return await idempotent.respond(read, status_code=200 if merged else 201)


@router.post(
    "/needs/escalations",
    response_model=EscalationResult,
    summary="逾期需求逐级督办 / escalate overdue needs to the level above",
    description="区域内逾期未办结的需求交上一级残联负责,并重新计算期限;当天重复执行不再变化 / "
    "each overdue need of the region goes to the federation above with a new due date",
)
async def escalate_needs(
    context: OfficialContext,
    idempotent: Idempotent,
    division: Annotated[
        DivisionCode | None,
        Query(alias="region", description="区划,默认为管辖范围 / default: your scope"),
    ] = None,
) -> Response:
    escalated = await escalation.escalate_overdue(context, division or context.principal.region)
    result = EscalationResult(escalated=len(escalated), need_ids=[n.id for n in escalated])
    return await idempotent.respond(result, status_code=200)


@router.get("/needs", response_model=Page[NeedSummary], summary="需求列表 / needs in a region")
async def list_needs(
    context: OfficialContext,
    paging: Paging,
    order: NeedOrder,
    division: Annotated[
        DivisionCode | None, Query(alias="region", description="区划 / within")
    ] = None,
    status: NeedStatus | None = None,
    category: ServiceKind | None = None,
    channel: Channel | None = None,
    household_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    overdue: Annotated[bool, Query(description="仅逾期未办结 / only overdue")] = False,
) -> Page[NeedSummary]:
    rows, cursor = await repository.list_needs(
        context.session,
        paging,
        region_prefix=region_prefix(context, division),
        status=status.value if status else None,
        category=category.value if category else None,
        channel=channel.value if channel else None,
        household_id=household_id,
        overdue_on=china_today() if overdue else None,
        order=order,
    )
    return Page(items=[need_summary(row) for row in rows], next_cursor=cursor)


@router.get("/needs/{need_id}", response_model=NeedRead, summary="一条需求 / one need")
async def get_need(need_id: IdPath, context: OfficialContext, response: Response) -> NeedRead:
    return _respond(context, await service.need_in_scope(context, need_id), response)


@router.post("/needs/{need_id}/assessment", response_model=NeedRead, summary="评估 / assess")
async def assess_need(
    need_id: IdPath,
    body: Assessment,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> NeedRead:
    need = await workflow.assess(context, need_id, body, precondition)
    return _respond(context, need, response)


@router.post(
    "/needs/{need_id}/referral",
    response_model=NeedRead,
    summary="转介 / refer",
    description="转介到已满的服务平台返回 409 platform-full / 409 when the platform is full",
)
async def refer_need(
    need_id: IdPath,
    body: Referral,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> NeedRead:
    need = await workflow.refer(context, need_id, body, precondition)
    return _respond(context, need, response)


@router.post("/needs/{need_id}/close", response_model=NeedRead, summary="办结 / close")
async def close_need(
    need_id: IdPath,
    body: Closing,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> NeedRead:
    need = await workflow.close(context, need_id, body, precondition)
    return _respond(context, need, response)


@router.post(
    "/needs/{need_id}/satisfaction", response_model=NeedRead, summary="满意度评价 / rating"
)
async def rate_need(
    need_id: IdPath,
    body: Rating,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> NeedRead:
    need = await workflow.rate(context, need_id, body, precondition)
    return _respond(context, need, response)


@router.post("/needs/{need_id}/reopen", response_model=NeedRead, summary="不满意重新办理 / reopen")
async def reopen_need(
    need_id: IdPath, context: OfficialContext, precondition: IfMatch, response: Response
) -> NeedRead:
    need = await workflow.reopen(context, need_id, precondition)
    return _respond(context, need, response)
