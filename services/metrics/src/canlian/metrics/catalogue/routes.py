"""Routes of the indicator catalogue and the counters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select

from canlian.common.dependencies import Idempotent, Session
from canlian.common.locations import created
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.metrics.catalogue import definitions as catalogue_definitions
from canlian.metrics.catalogue import schemas, service
from canlian.metrics.catalogue.models import Indicator
from canlian.metrics.contributions import mappers as contributions_mappers
from canlian.metrics.parameters import Admin, Official

router = APIRouter(prefix="/v1")


@router.get(
    "/indicators",
    response_model=Page[schemas.IndicatorRead],
    tags=["指标 / indicators"],
    summary="指标目录 / indicator catalogue",
)
async def list_indicators(
    session: Session,
    _principal: Official,
    paging: Paging,
    kind: Annotated[
        schemas.IndicatorKind | None, Query(description="derived / reported 类型筛选")
    ] = None,
) -> Page[schemas.IndicatorRead]:
    statement = select(Indicator)
    if kind is not None:
        statement = statement.where(Indicator.kind == kind.value)
    rows, cursor = await paginate(session, statement, [Indicator.position, Indicator.code], paging)
    return Page(
        items=[catalogue_definitions.indicator_read(row) for row in rows], next_cursor=cursor
    )


@router.get(
    "/indicators/{code}",
    response_model=schemas.IndicatorRead,
    tags=["指标 / indicators"],
    summary="指标定义 / one indicator",
)
async def get_indicator(code: str, session: Session, _principal: Official) -> schemas.IndicatorRead:
    return catalogue_definitions.indicator_read(await service.get_indicator(session, code))


@router.post(
    "/indicators",
    status_code=201,
    openapi_extra=created("/v1/indicators/{code}"),
    response_model=schemas.IndicatorRead,
    tags=["指标 / indicators"],
    summary="新增自定义指标(管理员)/ add a custom indicator (admin)",
)
async def create_indicator(
    body: schemas.IndicatorCreate, session: Session, _principal: Admin, idempotent: Idempotent
) -> Response:
    created = await service.create_indicator(session, body)
    return await idempotent.respond(created, status_code=201)


@router.get(
    "/counters",
    response_model=Items[schemas.CounterRead],
    tags=["指标 / indicators"],
    summary="可用计数项 / counters the rollups keep",
)
async def list_counters(_principal: Official) -> Items[schemas.CounterRead]:
    known = contributions_mappers.known_counters().items()
    return Items(
        items=[schemas.CounterRead(counter=name, description=text) for name, text in known]
    )
