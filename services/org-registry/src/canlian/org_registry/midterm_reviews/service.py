"""Rules of the mid-term review (届中考评): the level above the federation reviews its leadership
once per term, from the term's middle until its end. A review is corrected by a later version
with a reason (every version kept) or withdrawn with a reason, which makes way for another.
Each change is announced and audited; the terms past their middle still unreviewed are
listed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.base import DomainEvent
from canlian.common.events.org_registry import (
    MidTermResult,
    MidTermReviewCorrected,
    MidTermReviewed,
    MidTermReviewSnapshot,
    MidTermReviewWithdrawn,
    OrganisationKind,
)
from canlian.common.log import current_request_id
from canlian.org_registry.acceptance.rules import may_inspect
from canlian.org_registry.context import Context
from canlian.org_registry.leadership import repository as leadership_repository
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.leadership.problems import TermNotFound
from canlian.org_registry.midterm_reviews import repository, rules
from canlian.org_registry.midterm_reviews.models import (
    RECORDED,
    WITHDRAWN,
    MidTermReview,
    MidTermReviewVersion,
)
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
    MidTermReviewWithdrawal,
)
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.models import ChangeRecord, Organisation
from canlian.org_registry.organisations.service import readable


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


def _content(review: MidTermReview, term: Term) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        json.dumps(
            {
                **snapshot(review, term).model_dump(),
                "reviewer": review.reviewer,
                "findings": review.findings,
                "conclusion": review.conclusion,
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
    review: MidTermReview,
    term: Term,
    event: DomainEvent,
    change: str,
    reason: str | None,
    before: dict[str, Any] | None,
) -> None:
    """The version kept, the event in the outbox and the change in the organisation's trail,
    in the request's transaction."""
    principal = context.principal
    content = _content(review, term)
    at = review.changed_at or review.recorded_at
    repository.add_version(
        session,
        MidTermReviewVersion(
            review_id=review.id,
            version=review.version,
            change=change,
            content=content,
            reason=reason,
            recorded_by=principal.subject,
            recorded_at=at,
        ),
    )
    await context.outbox.add(session, event)
    organisations_repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=at,
            actor=principal.subject,
            actor_region=principal.region,
            action="term.mid_term_reviewed"
            if change == "recorded"
            else f"term.mid_term_review_{change}",
            object_type="midterm_review",
            object_id=review.organisation_id,  # in the organisation's trail
            division_code=review.division_code,
            before=json.dumps(before, ensure_ascii=False) if before is not None else None,
            after=json.dumps({**content, "reason": reason}, ensure_ascii=False),
            request_id=current_request_id(),
        ),
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
    session.add(review)
    await session.flush()
    event = MidTermReviewed(**snapshot(review, term).model_dump())
    await _announce(session, context, review, term, event, "recorded", None, None)
    return review


async def _changeable(
    session: AsyncSession, context: Context, review_id: int, precondition: Precondition
) -> tuple[MidTermReview, Term]:
    """The review, locked, and its term, if the caller is above the federation and names
    the review's current version."""
    review = await get_review(session, context.principal, review_id, for_update=True)
    organisation = await readable(session, context.principal, review.organisation_id)
    _ensure_above(context.principal, organisation)
    precondition.check(review.version)
    if review.status == WITHDRAWN:
        raise ReviewWithdrawn(review_id=review.id, withdrawn_on=str(review.withdrawn_on))
    return review, await term_of(session, review)


async def correct(
    session: AsyncSession,
    context: Context,
    review_id: int,
    body: MidTermReviewCorrection,
    precondition: Precondition,
) -> MidTermReview:
    """A later version of the review with the correction's reason; the earlier stays in the
    review's versions. The reviewing region stays the one that reviewed."""
    review, term = await _changeable(session, context, review_id, precondition)
    _check_date(context, term, body.reviewed_on)
    before = _content(review, term)
    review.reviewer = body.reviewer.strip()
    review.reviewed_on = body.reviewed_on
    review.findings = body.findings
    review.result = body.result.value
    review.conclusion = body.conclusion
    review.adjustment_recommended = body.adjustment_recommended
    review.correction_reason = body.reason
    _touch(review, context)
    await session.flush()
    event = MidTermReviewCorrected(**snapshot(review, term).model_dump())
    await _announce(session, context, review, term, event, "corrected", body.reason, before)
    return review


async def withdraw(
    session: AsyncSession,
    context: Context,
    review_id: int,
    body: MidTermReviewWithdrawal,
    precondition: Precondition,
) -> MidTermReview:
    """The term counts as not reviewed again; the level above may review it anew."""
    review, term = await _changeable(session, context, review_id, precondition)
    before = _content(review, term)
    review.status = WITHDRAWN
    review.withdrawn_on = context.today
    review.withdrawal_reason = body.reason
    _touch(review, context)
    await session.flush()
    event = MidTermReviewWithdrawn(
        review_id=str(review.id),
        version=review.version,
        organisation_id=review.organisation_id,
        division_code=review.division_code,
        term_number=review.term_number,
        withdrawn_on=context.today,
    )
    await _announce(session, context, review, term, event, "withdrawn", body.reason, before)
    return review


def _touch(review: MidTermReview, context: Context) -> None:
    review.version += 1
    review.changed_by = context.principal.subject
    review.changed_at = utcnow()


async def versions(
    session: AsyncSession, principal: Principal, review_id: int
) -> list[MidTermReviewVersion]:
    review = await get_review(session, principal, review_id)
    return await repository.versions_of(session, review.id)


async def get_review(
    session: AsyncSession, principal: Principal, review_id: int, *, for_update: bool = False
) -> MidTermReview:
    review = await repository.review(session, review_id, for_update=for_update)
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
