"""Rules of the mid-term review (届中考评): the level above the federation reviews its leadership
once per term, from the term's middle until its end. A review is an act of the term
(`term_acts`): corrected by a later version with a reason (every version kept) or withdrawn
with a reason, which makes way for another; each change announced and audited. The terms past
their middle still unreviewed are listed."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.events.org_registry import (
    MidTermResult,
    MidTermReviewCorrected,
    MidTermReviewed,
    MidTermReviewSnapshot,
    MidTermReviewWithdrawn,
    OrganisationKind,
)
from canlian.org_registry.acceptance.rules import may_inspect
from canlian.org_registry.context import Context
from canlian.org_registry.leadership import repository as leadership_repository
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.leadership.problems import TermNotFound
from canlian.org_registry.midterm_reviews import repository, rules
from canlian.org_registry.midterm_reviews.models import MidTermReview, MidTermReviewVersion
from canlian.org_registry.midterm_reviews.problems import (
    AfterTerm,
    BeforeMiddle,
    NotAFederation,
    ReviewedInFuture,
    ReviewerNotAbove,
    ReviewExists,
    ReviewWithdrawn,
)
from canlian.org_registry.midterm_reviews.schemas import (
    MidTermReviewCorrection,
    MidTermReviewCreate,
)
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.organisations.service import readable
from canlian.org_registry.term_acts import service as term_acts
from canlian.org_registry.term_acts.models import RECORDED
from canlian.org_registry.term_acts.service import ActKind


def _check_date(context: Context, term: Term, reviewed_on: date) -> None:
    if reviewed_on > context.today:
        raise ReviewedInFuture(reviewed_on=reviewed_on.isoformat(), today=context.today.isoformat())
    middle = rules.middle_of(term.starts_on, term.ends_on)
    if reviewed_on < middle:
        raise BeforeMiddle(
            term_number=term.number,
            starts_on=term.starts_on.isoformat(),
            ends_on=term.ends_on.isoformat(),
            middle=middle.isoformat(),
            reviewed_on=reviewed_on.isoformat(),
        )
    if reviewed_on > term.ends_on:
        raise AfterTerm(
            term_number=term.number,
            ends_on=term.ends_on.isoformat(),
            reviewed_on=reviewed_on.isoformat(),
        )


def _ensure_above(principal: Principal, target: Organisation) -> None:
    # The same check as an acceptance inspection: a federation never reviews itself.
    if not may_inspect(principal.region, target.division_code, target.level):
        raise ReviewerNotAbove(
            organisation_id=target.id,
            division_code=target.division_code,
            reviewer_region=principal.region,
        )


def snapshot(review: MidTermReview, term: Term) -> MidTermReviewSnapshot:
    return MidTermReviewSnapshot(
        review_id=str(review.id),
        version=review.version,
        organisation_id=review.organisation_id,
        division_code=review.division_code,
        level=review.level,
        term_number=review.term_number,
        middle_of_term=rules.middle_of(term.starts_on, term.ends_on),
        reviewer_division_code=review.reviewer_division_code,
        reviewed_on=review.reviewed_on,
        result=MidTermResult(review.result),
        adjustment_recommended=review.adjustment_recommended,
    )


async def _snapshot(session: AsyncSession, review: MidTermReview) -> MidTermReviewSnapshot:
    return snapshot(review, await term_of(session, review))


def _details(review: MidTermReview) -> dict[str, Any]:
    return {
        "reviewer": review.reviewer,
        "findings": review.findings,
        "conclusion": review.conclusion,
    }


async def _ensure_may_change(
    session: AsyncSession, context: Context, review: MidTermReview
) -> None:
    organisation = await readable(session, context.principal, review.organisation_id)
    _ensure_above(context.principal, organisation)


async def _restate(
    session: AsyncSession, context: Context, review: MidTermReview, body: MidTermReviewCorrection
) -> None:
    """The organisation and term stay (a review of another term is withdrawn and recorded
    anew), and the reviewing region stays the one that reviewed."""
    _check_date(context, await term_of(session, review), body.reviewed_on)
    review.reviewer = body.reviewer.strip()
    review.reviewed_on = body.reviewed_on
    review.findings = body.findings
    review.result = body.result.value
    review.conclusion = body.conclusion
    review.adjustment_recommended = body.adjustment_recommended


KIND = ActKind(
    acts=MidTermReview,
    versions=MidTermReviewVersion,
    what="届中考评记录 / mid-term review",
    trail="term.mid_term_review",
    object_type="midterm_review",
    withdrawn_problem=ReviewWithdrawn,
    recorded_event=MidTermReviewed,
    corrected_event=MidTermReviewCorrected,
    withdrawn_event=MidTermReviewWithdrawn,
    snapshot=_snapshot,
    details=_details,
    ensure_may_change=_ensure_may_change,
    restate=_restate,
)


async def record(
    session: AsyncSession, context: Context, body: MidTermReviewCreate
) -> MidTermReview:
    principal = context.principal
    organisation = await readable(session, principal, body.organisation_id)
    _ensure_above(principal, organisation)
    if organisation.kind != OrganisationKind.FEDERATION:
        raise NotAFederation(organisation_id=organisation.id)
    term = await leadership_repository.term(session, organisation.id, body.term_number)
    if term is None:
        raise TermNotFound(organisation_id=organisation.id, number=body.term_number)
    _check_date(context, term, body.reviewed_on)
    existing = await repository.review_of_term(session, term.id)
    if existing is not None:
        raise ReviewExists(
            organisation_id=organisation.id,
            term_number=term.number,
            reviewed_on=existing.reviewed_on.isoformat(),
            review_id=existing.id,
        )
    review = MidTermReview(
        organisation_id=organisation.id,
        division_code=organisation.division_code,
        level=organisation.level,
        term_id=term.id,
        term_number=term.number,
        reviewer_division_code=principal.region,
        reviewer=body.reviewer.strip(),
        reviewed_on=body.reviewed_on,
        findings=body.findings,
        result=body.result.value,
        conclusion=body.conclusion,
        adjustment_recommended=body.adjustment_recommended,
        status=RECORDED,
        version=1,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    return await term_acts.record(session, context, KIND, review)


async def due(session: AsyncSession, prefix: str, on: date) -> list[tuple[Organisation, Term]]:
    """Each active federation's current term past its middle on `on` with no review yet."""
    latest: dict[str, tuple[Organisation, Term, bool]] = {}
    for organisation, term, reviewed in await repository.terms_in_office(session, prefix, on):
        latest[organisation.id] = (organisation, term, reviewed)  # ordered by term number
    return [
        (organisation, term)
        for organisation, term, reviewed in latest.values()
        if not reviewed and rules.middle_of(term.starts_on, term.ends_on) <= on
    ]


async def term_of(session: AsyncSession, review: MidTermReview) -> Term:
    term = await repository.term(session, review.term_id)
    assert term is not None  # a review's term is never deleted
    return term
