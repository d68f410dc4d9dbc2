"""Rules of the presidium's budget review (002: 建立健全…年度预算执行情况向主席团报告并接受监督
制度): a federation's presidium reviews each year's budget execution report once per term, for
a year the term includes; a return carries its reasons. A review is an act of the term
(`term_acts`): corrected by a later version with a reason (every version kept) or withdrawn
with a reason, which makes way for another; each change announced and audited. The terms
still owing a year's review are listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import utcnow
from canlian.common.events.org_registry import (
    BudgetDecision,
    BudgetReportReviewCorrected,
    BudgetReportReviewed,
    BudgetReportReviewWithdrawn,
    BudgetReviewSnapshot,
    OrganisationKind,
)
from canlian.org_registry.budget_reviews import repository
from canlian.org_registry.budget_reviews.models import BudgetReview, BudgetReviewVersion
from canlian.org_registry.budget_reviews.problems import (
    NotAFederation,
    ReasonsMissing,
    ReviewedBeforeYear,
    ReviewedInFuture,
    ReviewExists,
    ReviewWithdrawn,
    YearOutsideTerm,
)
from canlian.org_registry.budget_reviews.schemas import BudgetReviewCorrection, BudgetReviewCreate
from canlian.org_registry.context import Context
from canlian.org_registry.leadership import repository as leadership_repository
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.leadership.problems import TermNotFound
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.organisations.service import readable
from canlian.org_registry.term_acts import service as term_acts
from canlian.org_registry.term_acts.models import RECORDED
from canlian.org_registry.term_acts.service import ActKind


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


async def _snapshot(session: AsyncSession, review: BudgetReview) -> BudgetReviewSnapshot:
    return snapshot(review)


def _details(review: BudgetReview) -> dict[str, Any]:
    return {"note": review.note, "reasons": review.reasons}


async def _ensure_may_change(session: AsyncSession, context: Context, review: BudgetReview) -> None:
    context.principal.ensure_covers(review.division_code)


async def _restate(
    session: AsyncSession, context: Context, review: BudgetReview, body: BudgetReviewCorrection
) -> None:
    """The organisation, term and year stay: a review of another year is withdrawn and
    recorded anew."""
    _check(context, review.year, body.reviewed_on, body.decision, body.reasons)
    review.reviewed_on = body.reviewed_on
    review.budget_yuan = body.budget_yuan
    review.executed_yuan = body.executed_yuan
    review.note = body.note
    review.decision = body.decision.value
    review.reasons = body.reasons


KIND = ActKind(
    acts=BudgetReview,
    versions=BudgetReviewVersion,
    what="预算审议记录 / budget review",
    trail="term.budget_report_review",
    object_type="budget_review",
    withdrawn_problem=ReviewWithdrawn,
    recorded_event=BudgetReportReviewed,
    corrected_event=BudgetReportReviewCorrected,
    withdrawn_event=BudgetReportReviewWithdrawn,
    snapshot=_snapshot,
    details=_details,
    ensure_may_change=_ensure_may_change,
    restate=_restate,
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
    return await term_acts.record(session, context, KIND, review)


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
