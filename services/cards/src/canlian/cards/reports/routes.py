"""The questions officials ask: 应发尽发 backlog, cards expiring, second-generation cards not
yet replaced, holders by category and grade."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from canlian.cards.applications.models import Application
from canlian.cards.applications.views import application_view
from canlian.cards.cards import repository as cards_repository
from canlian.cards.cards.models import Card
from canlian.cards.cards.schemas import CardRead
from canlian.cards.cards.views import card_page
from canlian.cards.dependencies import OfficialContext, RegionFilter, region_prefix
from canlian.cards.persons.service import holders_of
from canlian.cards.reports import repository
from canlian.cards.reports.schemas import BacklogItem, HolderCount, HoldersReport
from canlian.common.events.cards import (
    CardGeneration,
    CardStatus,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.pagination import Page, Paging, paginate

router = APIRouter(prefix="/v1")


@router.get(
    "/reports/backlog",
    response_model=Page[BacklogItem],
    tags=["reports"],
    summary="应发尽发:评定合格且审核通过但尚未持证 / Approved, eligible, still without a card",
)
async def backlog(
    ctx: OfficialContext, paging: Paging, region: RegionFilter = None
) -> Page[BacklogItem]:
    statement = repository.backlog_query(region_prefix(ctx, region))
    rows, cursor = await paginate(
        ctx.session, statement, [Application.reviewed_on, Application.id], paging
    )
    persons = await holders_of(ctx.session, rows)
    today = ctx.today()
    items = [
        BacklogItem(
            **application_view(ctx.pii, row, persons[row.person_id]).model_dump(),
            days_waiting=(today - (row.reviewed_on or row.applied_on)).days,
        )
        for row in rows
    ]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/reports/expiring",
    response_model=Page[CardRead],
    tags=["reports"],
    summary="N 天内到期的有效证件 / Valid cards expiring within N days",
)
async def expiring(
    ctx: OfficialContext,
    paging: Paging,
    days: Annotated[int, Query(ge=0, le=3660, description="天数 / within this many days")] = 90,
    region: RegionFilter = None,
) -> Page[CardRead]:
    statement = cards_repository.cards_query(
        region_prefix(ctx, region),
        status=CardStatus.VALID.value,
        valid_until_before=ctx.today() + timedelta(days=days),
    )
    return await card_page(ctx, statement, [Card.valid_until, Card.id], paging)


@router.get(
    "/reports/second-generation",
    response_model=Page[CardRead],
    tags=["reports"],
    summary="尚未换领智能化证的第二代证 / Second-generation cards not yet replaced by smart cards",
)
async def second_generation(
    ctx: OfficialContext, paging: Paging, region: RegionFilter = None
) -> Page[CardRead]:
    statement = cards_repository.cards_query(
        region_prefix(ctx, region),
        status=CardStatus.VALID.value,
        generation=CardGeneration.SECOND_GENERATION.value,
    )
    return await card_page(ctx, statement, [Card.valid_until, Card.id], paging)


@router.get(
    "/reports/holders",
    response_model=HoldersReport,
    tags=["reports"],
    summary="按类别和等级统计持证人 / Holders of a valid card by category and grade",
)
async def holders(ctx: OfficialContext, region: RegionFilter = None) -> HoldersReport:
    prefix = region_prefix(ctx, region)
    rows = await repository.holders_by_category_grade(ctx.session, prefix)
    counts: dict[tuple[int, int], int] = {}
    by_generation = {generation: 0 for generation in CardGeneration}
    for category, grade, generation, number in rows:
        counts[(category, grade)] = counts.get((category, grade), 0) + number
        by_generation[CardGeneration(generation)] += number
    return HoldersReport(
        region=region or ctx.principal.region,
        total=sum(counts.values()),
        second_generation=by_generation[CardGeneration.SECOND_GENERATION],
        smart=by_generation[CardGeneration.SMART],
        by_category_grade=[
            HolderCount(
                category=DisabilityCategory(category), grade=DisabilityGrade(grade), holders=n
            )
            for (category, grade), n in sorted(counts.items())
        ],
    )
