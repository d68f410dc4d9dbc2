"""Service platforms: register, list, read, change with If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch
from canlian.common.divisions import DivisionCode
from canlian.common.events.needs import PlatformKind, PlatformService
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging
from canlian.needs.dependencies import IdPath, OfficialContext, region_prefix
from canlian.needs.platforms import repository, service
from canlian.needs.platforms.models import ServicePlatform
from canlian.needs.platforms.schemas import PlatformChange, PlatformCreate, PlatformRead

router = APIRouter(prefix="/v1/platforms", tags=["platforms 服务平台"])


def platform_read(row: ServicePlatform) -> PlatformRead:
    return PlatformRead(
        id=row.id,
        name=row.name,
        kind=PlatformKind(row.kind),
        division_code=row.division_code,
        services=[PlatformService(s) for s in row.services],
        capacity=row.capacity,
        occupied=row.occupied,
        free=max(row.capacity - row.occupied, 0),
        staff=row.staff,
        open=row.open,
        version=row.version,
    )


@router.post(
    "",
    response_model=PlatformRead,
    status_code=201,
    openapi_extra=created("/v1/platforms/{id}"),
    summary="登记服务平台 / register",
)
async def register_platform(
    body: PlatformCreate, context: OfficialContext, idempotent: Idempotent
) -> Response:
    platform = await service.register(context, body)
    return await idempotent.respond(platform_read(platform), status_code=201)


@router.get("", response_model=Page[PlatformRead], summary="服务平台 / platforms in a region")
async def list_platforms(
    context: OfficialContext,
    paging: Paging,
    division: Annotated[
        DivisionCode | None, Query(alias="region", description="区划 / within")
    ] = None,
    kind: Annotated[PlatformKind | None, Query(description="类型 / kind")] = None,
    offers: Annotated[PlatformService | None, Query(description="提供的服务 / offers")] = None,
) -> Page[PlatformRead]:
    rows, cursor = await repository.list_platforms(
        context.session,
        paging,
        region_prefix=region_prefix(context, division),
        kind=kind.value if kind else None,
        service=offers.value if offers else None,
    )
    return Page(items=[platform_read(row) for row in rows], next_cursor=cursor)


@router.get("/{platform_id}", response_model=PlatformRead, summary="一个服务平台 / one")
async def get_platform(
    platform_id: IdPath, context: OfficialContext, response: Response
) -> PlatformRead:
    platform = await service.platform_in_scope(context, platform_id)
    response.headers["ETag"] = etag(platform.version)
    return platform_read(platform)


@router.patch("/{platform_id}", response_model=PlatformRead, summary="修改 / change")
async def change_platform(
    platform_id: IdPath,
    body: PlatformChange,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> PlatformRead:
    platform = await service.change(context, platform_id, body, precondition)
    response.headers["ETag"] = etag(platform.version)
    return platform_read(platform)
