"""HTTP routes of township target scoring."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from canlian.common import divisions
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Session, runtime_of
from canlian.common.divisions import DivisionCode
from canlian.common.events.metrics import TownshipGrade
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.parameters import Official
from canlian.metrics.township_scores import export, repository, service
from canlian.metrics.township_scores.models import ScoreSheet, TownshipResult
from canlian.metrics.township_scores.schemas import (
    Comparator,
    ItemKind,
    ItemScoreRead,
    QualitativeScores,
    SheetCreate,
    SheetId,
    SheetItemRead,
    SheetRead,
    TownshipResultRead,
)

router = APIRouter(prefix="/v1")

TAGS: list[str | Enum] = ["乡镇目标考核 / township target scoring"]
Township = Annotated[DivisionCode, Path(description="乡镇(街道)区划 / township")]


def sheet_read(sheet: ScoreSheet) -> SheetRead:
    return SheetRead(
        id=sheet.id,
        version=sheet.version,
        county=sheet.county_code,
        year=sheet.year,
        title=sheet.title,
        status=sheet.status,
        items=[
            SheetItemRead(
                code=item.code,
                title=item.title,
                points=item.points,
                kind=ItemKind(item.kind),
                indicator=item.indicator_code,
                comparator=Comparator(item.comparator) if item.comparator else None,
                target=item.target,
            )
            for item in sheet.items
        ],
        created_at=sheet.created_at,
        scored_at=sheet.scored_at,
    )


@router.post(
    "/township-score-sheets",
    status_code=201,
    openapi_extra=created("/v1/township-score-sheets/{id}"),
    response_model=SheetRead,
    tags=TAGS,
    summary="县制定乡镇年度百分制目标考核表 / a county sets its townships' 100-point sheet",
    description="项目按指标值计分(不低于/不高于目标)或由考核人评分;分值合计 100 / items are "
    "scored from an indicator's value against a target or by the inspector; 100 points in all",
)
async def create_sheet(
    body: SheetCreate,
    request: Request,
    session: Session,
    principal: Official,
    idempotent: Idempotent,
) -> Response:
    sheet = await service.create_sheet(session, runtime_of(request).outbox, principal, body)
    loaded = await service.get_sheet(session, principal, sheet.id)
    reply = await idempotent.respond(sheet_read(loaded), status_code=201)
    reply.headers["ETag"] = etag(loaded.version)
    return reply


@router.get("/township-score-sheets", response_model=Page[SheetRead], tags=TAGS)
async def list_sheets(
    session: Session,
    principal: Official,
    paging: Paging,
    region: Annotated[DivisionCode | None, Query(description="区划内 / within a region")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[SheetRead]:
    if region is not None:
        principal.ensure_covers(region)
    prefix = divisions.prefix(region) if region is not None else principal.region_prefix
    rows, cursor = await paginate(
        session, repository.sheets_in(prefix, year), [ScoreSheet.id], paging
    )
    return Page(items=[sheet_read(row) for row in rows], next_cursor=cursor)


@router.get("/township-score-sheets/{sheet_id}", response_model=SheetRead, tags=TAGS)
async def get_sheet(
    sheet_id: SheetId, session: Session, principal: Official, response: Response
) -> SheetRead:
    sheet = await service.get_sheet(session, principal, sheet_id)
    response.headers["ETag"] = etag(sheet.version)
    return sheet_read(sheet)


@router.put(
    "/township-score-sheets/{sheet_id}/townships/{township}/scores",
    response_model=SheetRead,
    tags=TAGS,
    summary="考核人为某乡镇的定性项目评分 / the inspector scores a township's qualitative items",
    description="If-Match 为考核表的 ETag / If-Match is the sheet's ETag",
)
async def set_qualitative_scores(
    sheet_id: SheetId,
    township: Township,
    body: QualitativeScores,
    session: Session,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> SheetRead:
    sheet = await service.set_qualitative_scores(
        session, principal, sheet_id, township, body, precondition
    )
    response.headers["ETag"] = etag(sheet.version)
    return sheet_read(sheet)


@router.post(
    "/township-score-sheets/{sheet_id}/year-end",
    response_model=SheetRead,
    tags=TAGS,
    summary="年终评分:按12月31日指标值计分、评定等次、排名 / year-end scoring: indicator items "
    "from the values on 31 December, grades and ranks",
    description="优秀 ≥90、良好 ≥80、合格 ≥60;If-Match 为考核表的 ETag;评分后考核表不再修改 / "
    "excellent ≥90, good ≥80, satisfactory ≥60; If-Match is the sheet's ETag; a scored sheet "
    "no longer changes",
)
async def score_year_end(
    sheet_id: SheetId,
    request: Request,
    session: Session,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> Response:
    sheet = await service.score_year_end(
        session, runtime_of(request).outbox, principal, sheet_id, precondition
    )
    reply = await idempotent.respond(sheet_read(sheet), status_code=200)
    reply.headers["ETag"] = etag(sheet.version)
    return reply


@router.get(
    "/township-score-sheets/{sheet_id}/results",
    response_model=Page[TownshipResultRead],
    tags=TAGS,
    summary="各乡镇年终得分、等次和排名 / the townships' totals, grades and ranks",
)
async def results(
    sheet_id: SheetId, session: Session, principal: Official, paging: Paging
) -> Page[TownshipResultRead]:
    sheet = await service.get_sheet(session, principal, sheet_id)
    rows, cursor = await paginate(
        session,
        repository.results_of(sheet.id),
        [TownshipResult.rank, TownshipResult.township_code],
        paging,
    )
    scores = await repository.item_scores(session, sheet.id)
    names = await divisions_repository.divisions_by_code(
        session, [row.township_code for row in rows]
    )
    order = {item.code: item.position for item in sheet.items}
    return Page(
        items=[
            TownshipResultRead(
                township=row.township_code,
                name=names[row.township_code].name if row.township_code in names else None,
                total=row.total,
                grade=TownshipGrade(row.grade),
                rank=row.rank,
                items=[
                    ItemScoreRead(item=score.item_code, score=score.score, value=score.value)
                    for score in sorted(
                        (s for s in scores if s.township_code == row.township_code),
                        key=lambda s: order.get(s.item_code, 0),
                    )
                ],
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/township-score-sheets/{sheet_id}/results.xlsx",
    tags=TAGS,
    summary="导出各乡镇年终得分排名(Excel)/ the townships' ranked year-end scores as Excel",
    description="按排名列出乡镇(街道)、总分、等次和各项得分;尚未年终评分 409 / townships in "
    "rank order with totals, grades and item scores; a sheet not scored yet: 409",
    response_class=Response,
    responses={
        200: {"content": {XLSX: {}}},
        409: {
            "description": "考核表尚未年终评分 / the sheet has no year-end scores yet",
            "content": {"application/problem+json": {}},
        },
    },
)
async def results_xlsx(sheet_id: SheetId, session: Session, principal: Official) -> Response:
    ranking = await service.ranking(session, principal, sheet_id)
    filename = f"township-scores-{ranking.sheet.county_code}-{ranking.sheet.year}.xlsx"
    return Response(
        export.workbook(ranking),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
