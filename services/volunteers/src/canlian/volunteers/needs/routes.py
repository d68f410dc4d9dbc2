"""Officials' needs: raising, listing, matching, inviting, closing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from canlian.common import divisions
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch
from canlian.common.events.volunteers import Skill
from canlian.common.locations import created
from canlian.common.pagination import Items, Page, Paging
from canlian.common.query_parameters import RegionOrDivision
from canlian.common.sorting import SortOrder, sorting
from canlian.volunteers.dependencies import IdPath, Official, RequestContext
from canlian.volunteers.needs import assignments, matching, repository, service
from canlian.volunteers.needs.models import Need
from canlian.volunteers.needs.responses import assignment_read, need_read
from canlian.volunteers.needs.schemas import (
    AssignmentRead,
    Candidate,
    Invitation,
    NeedClosing,
    NeedCreate,
    NeedRead,
    NeedStatus,
)

# By start (default), by the date recorded, or by how many volunteers a need still lacks.
NEED_ORDERS = sorting(
    {
        "starts_at": [Need.starts_at, Need.id],
        "created_at": [Need.created_at, Need.id],
        "volunteers_needed": [Need.volunteers_needed, Need.id],
    },
    default="starts_at",
)
NeedOrder = Annotated[SortOrder, Depends(NEED_ORDERS)]

router = APIRouter(prefix="/v1")

MAX_CANDIDATES = 100


@router.post(
    "/needs",
    status_code=201,
    openapi_extra=created("/v1/needs/{id}"),
    response_model=NeedRead,
    tags=["needs"],
    summary="登记服务需求 / raise a need",
)
async def create_need(
    body: NeedCreate, context: RequestContext, principal: Official, idempotent: Idempotent
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
    context: RequestContext,
    principal: Official,
    paging: Paging,
    order: NeedOrder,
    division: RegionOrDivision = None,
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
        order=order,
    )
    return Page(items=[need_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/needs/{need_id}", response_model=NeedRead, tags=["needs"], summary="需求详情 / a need"
)
async def get_need(
    need_id: IdPath, context: RequestContext, principal: Official, response: Response
) -> NeedRead:
    need = await service.need_in_scope(context, principal, need_id)
    response.headers["ETag"] = etag(need.version)
    return need_read(need)


@router.get(
    "/needs/{need_id}/candidates",
    response_model=Items[Candidate],
    tags=["needs"],
    summary="匹配志愿者 / rank volunteers for a need",
    description="按技能匹配数、可服务时段、区划相近程度(共同区划层级)、星级排序;只在需求所在市内"
    "查找,排除已答复者和同一时段已接受其他需求者 / ranked by skills matched, availability, "
    "nearness in the division hierarchy and star level, within the need's city",
)
async def need_candidates(
    need_id: IdPath,
    context: RequestContext,
    principal: Official,
    limit: Annotated[int, Query(ge=1, le=MAX_CANDIDATES)] = 20,
) -> Items[Candidate]:
    need = await service.need_in_scope(context, principal, need_id)
    return Items(items=await matching.match(context, need, limit))


@router.post(
    "/needs/{need_id}/invitations",
    status_code=201,
    openapi_extra=created("/v1/needs/{need_id}/assignments"),
    response_model=Items[AssignmentRead],
    tags=["needs"],
    summary="邀请志愿者 / invite volunteers",
)
async def invite(
    need_id: IdPath,
    body: Invitation,
    context: RequestContext,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    need = await service.need_in_scope(context, principal, need_id, for_update=True)
    invited = await assignments.invite(context, principal, need, body.volunteer_ids)
    return await idempotent.respond(Items(items=[assignment_read(item) for item in invited]))


@router.get(
    "/needs/{need_id}/assignments",
    response_model=Items[AssignmentRead],
    tags=["needs"],
    summary="需求的邀请与答复 / invitations and answers",
)
async def need_assignments(
    need_id: IdPath, context: RequestContext, principal: Official
) -> Items[AssignmentRead]:
    need = await service.need_in_scope(context, principal, need_id)
    rows = await repository.assignments_of(context.session, need.id)
    return Items(items=[assignment_read(item) for item in rows])


@router.post(
    "/needs/{need_id}/close",
    response_model=NeedRead,
    tags=["needs"],
    summary="关闭需求(已服务或取消)/ close a need: served or cancelled",
)
async def close_need(
    need_id: IdPath,
    body: NeedClosing,
    context: RequestContext,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> NeedRead:
    need = await service.need_in_scope(context, principal, need_id, precondition=precondition)
    closed = await service.close_need(context, principal, need, body)
    response.headers["ETag"] = etag(closed.version)
    return need_read(closed)
