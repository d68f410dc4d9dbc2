"""Rules of the presidium's budget review (002: 建立健全…年度预算执行情况向主席团报告并接受监督
制度): a federation's presidium reviews each year's budget execution report once per term, for
a year the term includes; a return carries its reasons. A review is corrected by a later
version with a reason (every version kept) or withdrawn with a reason, which makes way for
another. Each change is announced and audited; the terms still owing a year's review are
listed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.base import DomainEvent
from canlian.common.events.org_registry import (
    BudgetDecision,
    BudgetReportReviewCorrected,
    BudgetReportReviewed,
    BudgetReportReviewWithdrawn,
    BudgetReviewSnapshot,
    OrganisationKind,
)
from canlian.common.log import current_request_id
from canlian.org_registry.budget_reviews import repository
from canlian.org_registry.budget_reviews.models import (
    RECORDED,
    WITHDRAWN,
    BudgetReview,
    BudgetReviewVersion,
)
from canlian.org_registry.budget_reviews.problems import (
    NotAFederation,
    ReasonsMissing,
    ReviewedBeforeYear,
    ReviewedInFuture,
    ReviewExists,
    ReviewWithdrawn,
    YearOutsideTerm,
)
from canlian.org_registry.budget_reviews.schemas import (
    BudgetReviewCorrection,
    BudgetReviewCreate,
    BudgetReviewWithdrawal,
)
from canlian.org_registry.context import Context
from canlian.org_registry.leadership import repository as leadership_repository
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.leadership.problems import TermNotFound
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.models import ChangeRecord, Organisation
from canlian.org_registry.organisations.service import readable


def execution_percent(budget: Decimal, executed: Decimal) -> Decimal | None:
    if budget == 0:
        return None
    return (executed * 100 / budget).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _check(
    context: Context,
    year: int,
    reviewed_on: date,
    decision: BudgetDecision,
    reasons: str | None,
) -> None:
    if reviewed_on > context.today:
        raise ReviewedInFuture(reviewed_on=reviewed_on.isoformat(), today=context.today.isoformat())
    if reviewed_on < date(year, 1, 1):
        raise ReviewedBeforeYear(reviewed_on=reviewed_on.isoformat(), year=year)
    if decision == BudgetDecision.RETURNED and not reasons:
        raise ReasonsMissing()


def snapshot(review: BudgetReview) -> BudgetReviewSnapshot:
    return BudgetReviewSnapshot(
        review_id=str(review.id),
        version=review.version,
        organisation_id=review.organisation_id,
        division_code=review.division_code,
        level=review.level,
        term_number=review.term_number,
        year=review.year,
        reviewed_on=review.reviewed_on,
        budget_yuan=review.budget_yuan,
        executed_yuan=review.executed_yuan,
        decision=BudgetDecision(review.decision),
    )


def _content(review: BudgetReview) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        json.dumps(
            {
                **snapshot(review).model_dump(),
                "note": review.note,
                "reasons": review.reasons,
                "status": review.status,
                "withdrawn_on": review.withdrawn_on,
            },
            ensure_ascii=False,
            default=str,
        )
    )
    return found


async def _announce(
    session: AsyncSession,
    context: Context,
    review: BudgetReview,
    event: DomainEvent,
    change: str,
    reason: str | None,
    before: dict[str, Any] | None,
) -> None:
    """The version kept, the event in the outbox and the change in the organisation's trail,
    in the request's transaction."""
    principal = context.principal
    content = _content(review)
    repository.add_version(
        session,
        BudgetReviewVersion(
            review_id=review.id,
            version=review.version,
            change=change,
            content=content,
            reason=reason,
            recorded_by=principal.subject,
            recorded_at=review.changed_at or review.recorded_at,
        ),
    )
    await context.outbox.add(session, event)
    organisations_repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=review.changed_at or review.recorded_at,
            actor=principal.subject,
            actor_region=principal.region,
            action="term.budget_report_reviewed"
            if change == "recorded"
            else f"term.budget_report_review_{change}",
            object_type="budget_review",
            object_id=review.organisation_id,  # in the organisation's trail
            division_code=review.division_code,
            before=json.dumps(before, ensure_ascii=False) if before is not None else None,
            after=json.dumps({**content, "reason": reason}, ensure_ascii=False),
            request_id=current_request_id(),
        ),
    )


async def record(session: AsyncSession, context: Context, body: BudgetReviewCreate) -> BudgetReview:
    principal = context.principal
    organisation = await readable(session, principal, body.organisation_id)
    principal.ensure_covers(organisation.division_code)
    if organisation.kind != OrganisationKind.FEDERATION:
        raise NotAFederation(organisation_id=organisation.id)
    term = await leadership_repository.term(session, organisation.id, body.term_number)
    if term is None:
        raise TermNotFound(organisation_id=organisation.id, number=body.term_number)
    if not term.starts_on.year <= body.year <= term.ends_on.year:
        raise YearOutsideTerm(
            term_number=term.number,
            starts_on=term.starts_on.isoformat(),
            ends_on=term.ends_on.isoformat(),
            year=body.year,
        )
    _check(context, body.year, body.reviewed_on, body.decision, body.reasons)
    existing = await repository.review_of(session, term.id, body.year)
    if existing is not None:
        raise ReviewExists(
            organisation_id=organisation.id,
            term_number=term.number,
            year=body.year,
            review_id=existing.id,
        )
    review = BudgetReview(
        organisation_id=organisation.id,
        division_code=organisation.division_code,
        level=organisation.level,
        term_id=term.id,
        term_number=term.number,
        year=body.year,
        reviewed_on=body.reviewed_on,
        budget_yuan=body.budget_yuan,
        executed_yuan=body.executed_yuan,
        note=body.note,
        decision=body.decision.value,
        reasons=body.reasons,
        status=RECORDED,
        version=1,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(review)
    await session.flush()
    event = BudgetReportReviewed(**snapshot(review).model_dump())
    await _announce(session, context, review, event, "recorded", None, None)
    return review


async def _changeable(
    session: AsyncSession, context: Context, review_id: int, precondition: Precondition
) -> BudgetReview:
    """The review, locked, if the caller may change it and names its current version."""
    review = await get_review(session, context.principal, review_id, for_update=True)
    context.principal.ensure_covers(review.division_code)
    precondition.check(review.version)
    if review.status == WITHDRAWN:
        raise ReviewWithdrawn(review_id=review.id, withdrawn_on=str(review.withdrawn_on))
    return review


async def correct(
    session: AsyncSession,
    context: Context,
    review_id: int,
    body: BudgetReviewCorrection,
    precondition: Precondition,
) -> BudgetReview:
    """A later version of the review with the correction's reason; the earlier stays in
    the review's versions."""
    review = await _changeable(session, context, review_id, precondition)
    _check(context, review.year, body.reviewed_on, body.decision, body.reasons)
    before = _content(review)
    review.reviewed_on = body.reviewed_on
    review.budget_yuan = body.budget_yuan
    review.executed_yuan = body.executed_yuan
    review.note = body.note
    review.decision = body.decision.value
    review.reasons = body.reasons
    review.correction_reason = body.reason
    _touch(review, context)
    await session.flush()
    event = BudgetReportReviewCorrected(**snapshot(review).model_dump())
    await _announce(session, context, review, event, "corrected", body.reason, before)
    return review


async def withdraw(
    session: AsyncSession,
    context: Context,
    review_id: int,
    body: BudgetReviewWithdrawal,
    precondition: Precondition,
) -> BudgetReview:
    """The review no longer counts; the term may record the year's review again."""
    review = await _changeable(session, context, review_id, precondition)
    before = _content(review)
    review.status = WITHDRAWN
    review.withdrawn_on = context.today
    review.withdrawal_reason = body.reason
    _touch(review, context)
    await session.flush()
    event = BudgetReportReviewWithdrawn(
        review_id=str(review.id),
        version=review.version,
        organisation_id=review.organisation_id,
        division_code=review.division_code,
        term_number=review.term_number,
        year=review.year,
        withdrawn_on=context.today,
    )
    await _announce(session, context, review, event, "withdrawn", body.reason, before)
    return review


def _touch(review: BudgetReview, context: Context) -> None:
    review.version += 1
    review.changed_by = context.principal.subject
    review.changed_at = utcnow()


async def versions(
    session: AsyncSession, principal: Principal, review_id: int
) -> list[BudgetReviewVersion]:
    review = await get_review(session, principal, review_id)
    return await repository.versions_of(session, review.id)


async def get_review(
    session: AsyncSession, principal: Principal, review_id: int, *, for_update: bool = False
) -> BudgetReview:
    review = await repository.review(session, review_id, for_update=for_update)
    if review is None:
        raise NotFound(what="预算审议记录 / budget review", key=review_id)
    if not principal.covers(review.division_code):
        raise OutsideScope(what="预算审议记录 / budget review")
    return review


@dataclass(frozen=True)
class Missing:
    organisation: Organisation
    term: Term


async def missing(session: AsyncSession, prefix: str, year: int) -> list[Missing]:
    """Each active federation whose terms that include the year reviewed none of its report,
    named by the last of those terms (the one in office at the year's end, or last in it)."""
    latest: dict[str, tuple[Organisation, Term]] = {}
    reviewed: set[str] = set()
    for organisation, term, done in await repository.terms_covering(session, prefix, year):
        latest[organisation.id] = (organisation, term)  # ordered by term number
        if done:
            reviewed.add(organisation.id)
    return [Missing(*pair) for key, pair in latest.items() if key not in reviewed]
