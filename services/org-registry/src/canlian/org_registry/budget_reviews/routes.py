"""HTTP routes of the presidium's budget reviews."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import BudgetDecision, BudgetReviewSnapshot
from canlian.common.locations import created
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.common.query_parameters import RegionOrWithin
from canlian.org_registry.api import Official, Reader, search_prefix
from canlian.org_registry.budget_reviews import repository, service
from canlian.org_registry.budget_reviews.models import BudgetReview
from canlian.org_registry.budget_reviews.schemas import (
    BudgetReviewCorrection,
    BudgetReviewCreate,
    BudgetReviewRead,
    BudgetReviewVersionRead,
    BudgetReviewWithdrawal,
    MissingBudgetReview,
    ReviewId,
)
from canlian.org_registry.context import context_of
from canlian.org_registry.term_acts.models import WITHDRAWN
from canlian.org_registry.term_acts.routes import ActRoutes, Doc, add_act_routes

router = APIRouter(prefix="/v1", tags=["主席团审议预算执行 / presidium budget reviews"])

RegionQuery = Annotated[
    DivisionCode | None,
    Query(description="区划(默认为本人管辖范围)/ region, defaults to your scope"),
]
YearQuery = Annotated[int, Query(ge=2000, le=2100, description="预算年度 / budget year")]


def review_read(review: BudgetReview) -> BudgetReviewRead:
    return BudgetReviewRead(
        id=review.id,
        version=review.version,
        organisation_id=review.organisation_id,
        division_code=review.division_code,
        term_number=review.term_number,
        year=review.year,
        reviewed_on=review.reviewed_on,
        budget_yuan=review.budget_yuan,
        executed_yuan=review.executed_yuan,
        execution_percent=service.execution_percent(review.budget_yuan, review.executed_yuan),
        note=review.note,
        decision=BudgetDecision(review.decision),
        reasons=review.reasons,
        status="withdrawn" if review.status == WITHDRAWN else "recorded",
        correction_reason=review.correction_reason,
        withdrawn_on=review.withdrawn_on,
        withdrawal_reason=review.withdrawal_reason,
        recorded_by=review.recorded_by,
        recorded_at=review.recorded_at,
        changed_by=review.changed_by,
        changed_at=review.changed_at,
    )


async def _read(session: AsyncSession, review: BudgetReview) -> BudgetReviewRead:
    return review_read(review)


@router.post(
    "/budget-reviews",
    status_code=201,
    openapi_extra=created("/v1/budget-reviews/{id}"),
    response_model=BudgetReviewRead,
    summary="登记主席团对年度预算执行情况报告的审议 / record the presidium's review of the "
    "year's budget report",
    description="每届每年度一次(再次登记 409);年度须在该届任期内(否则 422);退回须写理由 / "
    "once per term and year (a second: 409); the year lies within the term (else 422); a "
    "return gives its reasons",
)
async def record_budget_review(
    body: BudgetReviewCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    review = await service.record(session, context_of(runtime, principal), body)
    reply = await idempotent.respond(review_read(review))
    reply.headers["ETag"] = etag(review.version)
    return reply


@router.get(
    "/budget-reviews",
    response_model=Page[BudgetReviewRead],
    summary="预算审议记录 / budget reviews",
)
async def list_budget_reviews(
    session: Session,
    principal: Reader,
    paging: Paging,
    region: RegionQuery = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年度 / year")] = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[BudgetReviewRead]:
    statement = repository.reviews_in(search_prefix(principal, region), year, organisation_id)
    rows, cursor = await paginate(session, statement, [BudgetReview.id], paging)
    return Page(items=[review_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/budget-reviews/missing",
    response_model=Items[MissingBudgetReview],
    summary="缺少某年度预算审议的残联任期 / federations' terms without the year's review",
)
async def missing_budget_reviews(
    session: Session, principal: Reader, year: YearQuery, region: RegionQuery = None
) -> Items[MissingBudgetReview]:
    found = await service.missing(session, search_prefix(principal, region), year)
    return Items(
        items=[
            MissingBudgetReview(
                organisation_id=item.organisation.id,
                name=item.organisation.name,
                division_code=item.organisation.division_code,
                term_number=item.term.number,
                starts_on=item.term.starts_on,
                ends_on=item.term.ends_on,
                year=year,
            )
            for item in found
        ]
    )


@router.get(
    "/budget-review-snapshots",
    response_model=Page[BudgetReviewSnapshot],
    summary="有效的预算审议记录快照(与事件同形,供指标核对)/ the reviews in force, shaped as "
    "their events, for reconciliation",
    description="已撤销的记录不列出(不再计入指标)/ withdrawn reviews are not listed: they no "
    "longer count",
)
async def budget_review_snapshots(
    session: Session, principal: Reader, paging: Paging, region: RegionOrWithin
) -> Page[BudgetReviewSnapshot]:
    statement = repository.recorded_in(search_prefix(principal, region))
    rows, cursor = await paginate(session, statement, [BudgetReview.id], paging)
    return Page(items=[service.snapshot(row) for row in rows], next_cursor=cursor)


# After the routes above: `/budget-reviews/missing` is matched before `/{review_id}`.
add_act_routes(
    router,
    ActRoutes(
        kind=service.KIND,
        path="/budget-reviews",
        name="budget_review",
        act_id=ReviewId,
        read_model=BudgetReviewRead,
        read=_read,
        correction=BudgetReviewCorrection,
        withdrawal=BudgetReviewWithdrawal,
        version_read=BudgetReviewVersionRead,
        correcting=Doc(
            "更正预算审议记录(新版本,保留原版本)/ correct a budget review: a later version, "
            "the earlier kept",
            "须写更正理由;已撤销的记录不能更正(409);If-Match 为记录的 ETag / a reason is "
            "required; a withdrawn review is not corrected (409); If-Match is the review's ETag",
        ),
        withdrawing=Doc(
            "撤销预算审议记录(误登记;不再计入指标,可重新登记)/ withdraw a budget review "
            "recorded in error: it no longer counts and may be recorded anew",
            "须写撤销理由;If-Match 为记录的 ETag / a reason is required; If-Match is the "
            "review's ETag",
        ),
        listing_versions=Doc(
            "预算审议记录的各版本(登记、更正、撤销)/ every version of a budget review"
        ),
    ),
)
