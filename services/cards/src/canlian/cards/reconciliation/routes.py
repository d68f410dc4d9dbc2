"""Current snapshots of cards and applications, shaped as the events, so the metrics service
can reconcile or rebuild its counters. Nothing personal."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.cards.applications import repository as applications_repository
from canlian.cards.applications.models import Application
from canlian.cards.applications.snapshot import application_snapshot
from canlian.cards.cards import repository as cards_repository
from canlian.cards.cards.models import Card
from canlian.cards.cards.snapshot import card_snapshot
from canlian.cards.dependencies import OfficialContext, region_prefix
from canlian.cards.reconciliation.schemas import ApplicationSnapshotRead, CardSnapshotRead
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.query_parameters import RegionOrWithin

router = APIRouter(prefix="/v1")


@router.get(
    "/card-snapshots",
    response_model=Page[CardSnapshotRead],
    tags=["reconciliation"],
    summary="证件快照(与事件同形,供指标核对重算)/ current card snapshots, shaped as the "
    "events, for reconciliation",
    description="不含任何个人信息。 / Nothing personal: ids, region, status, category, grade, "
    "generation, validity, version.",
)
async def card_snapshots(
    ctx: OfficialContext, paging: Paging, within: RegionOrWithin
) -> Page[CardSnapshotRead]:
    statement = cards_repository.cards_query(region_prefix(ctx, within))
    rows, cursor = await paginate(ctx.session, statement, [Card.id], paging)
    return Page(items=[CardSnapshotRead(**card_snapshot(row)) for row in rows], next_cursor=cursor)


@router.get(
    "/application-snapshots",
    response_model=Page[ApplicationSnapshotRead],
    tags=["reconciliation"],
    summary="申请快照(与事件同形,供指标核对重算)/ current application snapshots, shaped as "
    "the events, for reconciliation",
)
async def application_snapshots(
    ctx: OfficialContext, paging: Paging, within: RegionOrWithin
) -> Page[ApplicationSnapshotRead]:
    statement = applications_repository.applications_query(region_prefix(ctx, within))
    rows, cursor = await paginate(ctx.session, statement, [Application.id], paging)
    return Page(
        items=[ApplicationSnapshotRead(**application_snapshot(row)) for row in rows],
        next_cursor=cursor,
    )
