"""Rules of the mid-term review (届中考评): the level above the federation reviews its leadership
once per term, from the term's middle until its end; the review is announced and audited, and
the terms past their middle still unreviewed are listed."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.org_registry import MidTermResult, MidTermReviewed, OrganisationKind
from canlian.common.log import current_request_id
from canlian.org_registry.acceptance.rules import may_inspect
from canlian.org_registry.context import Context
from canlian.org_registry.leadership import repository as leadership_repository
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.leadership.problems import TermNotFound
from canlian.org_registry.midterm_reviews import repository, rules
from canlian.org_registry.midterm_reviews.models import MidTermReview
from canlian.org_registry.midterm_reviews.problems import (
    AfterTerm,
    BeforeMiddle,
    NotAFederation,
    ReviewedInFuture,
    ReviewerNotAbove,
    ReviewExists,
)
from canlian.org_registry.midterm_reviews.schemas import MidTermReviewCreate
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.models import ChangeRecord, Organisation
from canlian.org_registry.organisations.service import readable


async def record(
    session: AsyncSession, context: Context, body: MidTermReviewCreate
) -> MidTermReview:
    principal = context.principal
    organisation = await readable(session, principal, body.organisation_id)
    # The same check as an acceptance inspection: a federation never reviews itself.
    if not may_inspect(principal.region, organisation.division_code, organisation.level):
        raise ReviewerNotAbove(
            organisation_id=organisation.id,
            division_code=organisation.division_code,
            reviewer_region=principal.region,
        )
    if organisation.kind != OrganisationKind.FEDERATION:
        raise NotAFederation(organisation_id=organisation.id)
    term = await leadership_repository.term(session, organisation.id, body.term_number)
    if term is None:
        raise TermNotFound(organisation_id=organisation.id, number=body.term_number)
    if body.reviewed_on > context.today:
        raise ReviewedInFuture(
            reviewed_on=body.reviewed_on.isoformat(), today=context.today.isoformat()
        )
    middle = rules.middle_of(term.starts_on, term.ends_on)
    if body.reviewed_on < middle:
        raise BeforeMiddle(
            term_number=term.number,
            starts_on=term.starts_on.isoformat(),
            ends_on=term.ends_on.isoformat(),
            middle=middle.isoformat(),
            reviewed_on=body.reviewed_on.isoformat(),
        )
    if body.reviewed_on > term.ends_on:
        raise AfterTerm(
            term_number=term.number,
            ends_on=term.ends_on.isoformat(),
            reviewed_on=body.reviewed_on.isoformat(),
        )
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
        version=1,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(review)
    await session.flush()
    event = MidTermReviewed(
        review_id=str(review.id),
        version=review.version,
        organisation_id=organisation.id,
        division_code=organisation.division_code,
        level=organisation.level,
        term_number=term.number,
        reviewer_division_code=review.reviewer_division_code,
        reviewed_on=review.reviewed_on,
        result=MidTermResult(review.result),
        adjustment_recommended=review.adjustment_recommended,
    )
    await context.outbox.add(session, event)
    organisations_repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=review.recorded_at,
            actor=principal.subject,
            actor_region=principal.region,
            action="term.mid_term_reviewed",
            object_type="midterm_review",
            object_id=organisation.id,  # in the organisation's trail
            division_code=organisation.division_code,
            before=None,
            after=json.dumps(
                {
                    **event.model_dump(),
                    "reviewer": review.reviewer,
                    "findings": review.findings,
                    "conclusion": review.conclusion,
                },
                ensure_ascii=False,
                default=str,
            ),
            request_id=current_request_id(),
        ),
    )
    return review


async def get_review(session: AsyncSession, principal: Principal, review_id: int) -> MidTermReview:
    review = await repository.review(session, review_id)
    if review is None:
        raise NotFound(what="届中考评记录 / mid-term review", key=review_id)
    if not principal.covers(review.division_code):
        raise OutsideScope(what="届中考评记录 / mid-term review")
    return review


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
