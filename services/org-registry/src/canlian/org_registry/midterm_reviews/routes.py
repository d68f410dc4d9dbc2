"""HTTP routes of mid-term reviews."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import MidTermResult, MidTermReviewSnapshot
from canlian.common.locations import created
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.common.query_parameters import RegionOrWithin
from canlian.org_registry.api import Official, Reader, search_prefix
from canlian.org_registry.context import context_of
from canlian.org_registry.midterm_reviews import repository, rules, service
from canlian.org_registry.midterm_reviews.models import MidTermReview
from canlian.org_registry.midterm_reviews.schemas import (
    DueMidTermReview,
    MidTermReviewCorrection,
    MidTermReviewCreate,
    MidTermReviewRead,
    MidTermReviewVersionRead,
    MidTermReviewWithdrawal,
    ReviewId,
)
from canlian.org_registry.term_acts.models import WITHDRAWN
from canlian.org_registry.term_acts.routes import ActRoutes, Doc, add_act_routes

router = APIRouter(prefix="/v1", tags=["届中考评 / mid-term reviews"])

RegionQuery = Annotated[
    DivisionCode | None,
    Query(description="区划(默认为本人管辖范围)/ region, defaults to your scope"),
]


def review_read(review: MidTermReview, middle: date) -> MidTermReviewRead:
    return MidTermReviewRead(
        id=review.id,
        version=review.version,
        organisation_id=review.organisation_id,
        division_code=review.division_code,
        term_number=review.term_number,
        middle_of_term=middle,
        reviewer_division_code=review.reviewer_division_code,
        reviewer=review.reviewer,
        reviewed_on=review.reviewed_on,
        findings=review.findings,
        result=MidTermResult(review.result),
        conclusion=review.conclusion,
        adjustment_recommended=review.adjustment_recommended,
        status="withdrawn" if review.status == WITHDRAWN else "recorded",
        correction_reason=review.correction_reason,
        withdrawn_on=review.withdrawn_on,
        withdrawal_reason=review.withdrawal_reason,
        recorded_by=review.recorded_by,
        recorded_at=review.recorded_at,
        changed_by=review.changed_by,
        changed_at=review.changed_at,
    )


async def _read(session: AsyncSession, review: MidTermReview) -> MidTermReviewRead:
    term = await service.term_of(session, review)
    return review_read(review, rules.middle_of(term.starts_on, term.ends_on))


@router.post(
    "/midterm-reviews",
    status_code=201,
    openapi_extra=created("/v1/midterm-reviews/{id}"),
    response_model=MidTermReviewRead,
    summary="上级对残联领导班子的届中考评 / the level above reviews a federation's leadership "
    "mid-term",
    description="同级或下级考评 403;届中以前或任期届满后 422;每届一次(再次登记 409)/ a "
    "reviewer at the same level or below: 403; before the term's middle or after its end: 422; "
    "once per term (a second: 409)",
)
async def record_midterm_review(
    body: MidTermReviewCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    review = await service.record(session, context_of(runtime, principal), body)
    reply = await idempotent.respond(await _read(session, review))
    reply.headers["ETag"] = etag(review.version)
    return reply


@router.get("/midterm-reviews", response_model=Page[MidTermReviewRead], summary="届中考评记录")
async def list_midterm_reviews(
    session: Session,
    principal: Reader,
    paging: Paging,
    region: RegionQuery = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[MidTermReviewRead]:
    statement = repository.reviews_in(search_prefix(principal, region), organisation_id)
    rows, cursor = await paginate(session, statement, [MidTermReview.id], paging)
    return Page(items=[await _read(session, row) for row in rows], next_cursor=cursor)


@router.get(
    "/midterm-reviews/due",
    response_model=Items[DueMidTermReview],
    summary="已过届中尚未考评的残联任期 / federations' terms past their middle, not yet reviewed",
)
async def due_midterm_reviews(
    session: Session,
    principal: Reader,
    region: RegionQuery = None,
    on: Annotated[date | None, Query(description="日期(默认今天)/ on, default today")] = None,
) -> Items[DueMidTermReview]:
    found = await service.due(session, search_prefix(principal, region), on or china_today())
    return Items(
        items=[
            DueMidTermReview(
                organisation_id=organisation.id,
                name=organisation.name,
                division_code=organisation.division_code,
                term_number=term.number,
                starts_on=term.starts_on,
                ends_on=term.ends_on,
                middle_of_term=rules.middle_of(term.starts_on, term.ends_on),
            )
            for organisation, term in found
        ]
    )


@router.get(
    "/midterm-review-snapshots",
    response_model=Page[MidTermReviewSnapshot],
    summary="有效的届中考评记录快照(与事件同形,供指标核对)/ the reviews in force, shaped as "
    "their events, for reconciliation",
    description="已撤销的记录不列出(不再计入指标)/ withdrawn reviews are not listed: they no "
    "longer count",
)
async def midterm_review_snapshots(
    session: Session, principal: Reader, paging: Paging, region: RegionOrWithin
) -> Page[MidTermReviewSnapshot]:
    statement = repository.recorded_in(search_prefix(principal, region))
    rows, cursor = await paginate(session, statement, [MidTermReview.id], paging)
    return Page(items=[service.snapshot(review, term) for review, term in rows], next_cursor=cursor)


# After the routes above: `/midterm-reviews/due` is matched before `/{review_id}`.
add_act_routes(
    router,
    ActRoutes(
        kind=service.KIND,
        path="/midterm-reviews",
        name="midterm_review",
        act_id=ReviewId,
        read_model=MidTermReviewRead,
        read=_read,
        correction=MidTermReviewCorrection,
        withdrawal=MidTermReviewWithdrawal,
        version_read=MidTermReviewVersionRead,
        correcting=Doc(
            "更正届中考评记录(新版本,保留原版本)/ correct a mid-term review: a later version, "
            "the earlier kept",
            "由上级更正(同级或下级 403);须写更正理由;已撤销的记录不能更正(409);If-Match 为"
            "记录的 ETag / by the level above (same level or below: 403); a reason is required; a "
            "withdrawn review is not corrected (409); If-Match is the review's ETag",
        ),
        withdrawing=Doc(
            "撤销届中考评记录(误登记;该届重新计为未考评,可重新登记)/ withdraw a mid-term "
            "review recorded in error: the term is unreviewed again",
            "由上级撤销;须写撤销理由;If-Match 为记录的 ETag / by the level above; a reason "
            "is required; If-Match is the review's ETag",
        ),
        listing_versions=Doc(
            "届中考评记录的各版本(登记、更正、撤销)/ every version of a mid-term review"
        ),
    ),
)
