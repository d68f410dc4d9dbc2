"""Rules of the presidium's budget review (002: 建立健全…年度预算执行情况向主席团报告并接受监督
制度): a federation's presidium reviews each year's budget execution report once per term, for
a year the term includes; a return carries its reasons. Each review is announced and audited;
the terms still owing a year's review are listed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.org_registry import (
    BudgetDecision,
    BudgetReportReviewed,
    OrganisationKind,
)
from canlian.common.log import current_request_id
from canlian.org_registry.budget_reviews import repository
from canlian.org_registry.budget_reviews.models import BudgetReview
from canlian.org_registry.budget_reviews.problems import (
    NotAFederation,
    ReasonsMissing,
    ReviewedBeforeYear,
    ReviewedInFuture,
    ReviewExists,
    YearOutsideTerm,
)
from canlian.org_registry.budget_reviews.schemas import BudgetReviewCreate
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
    if body.reviewed_on > context.today:
        raise ReviewedInFuture(
            reviewed_on=body.reviewed_on.isoformat(), today=context.today.isoformat()
        )
    if body.reviewed_on < date(body.year, 1, 1):
        raise ReviewedBeforeYear(reviewed_on=body.reviewed_on.isoformat(), year=body.year)
    if body.decision == BudgetDecision.RETURNED and not body.reasons:
        raise ReasonsMissing()
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
        version=1,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(review)
    await session.flush()
    event = BudgetReportReviewed(
        review_id=str(review.id),
        version=review.version,
        organisation_id=organisation.id,
        division_code=organisation.division_code,
        level=organisation.level,
        term_number=term.number,
        year=review.year,
        reviewed_on=review.reviewed_on,
        budget_yuan=review.budget_yuan,
        executed_yuan=review.executed_yuan,
        decision=body.decision,
    )
    await context.outbox.add(session, event)
    organisations_repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=review.recorded_at,
            actor=principal.subject,
            actor_region=principal.region,
            action="term.budget_report_reviewed",
            object_type="budget_review",
            object_id=organisation.id,  # in the organisation's trail
            division_code=organisation.division_code,
            before=None,
            after=json.dumps(
                {**event.model_dump(), "note": review.note, "reasons": review.reasons},
                ensure_ascii=False,
                default=str,
            ),
            request_id=current_request_id(),
        ),
    )
    return review


async def get_review(session: AsyncSession, principal: Principal, review_id: int) -> BudgetReview:
    review = await repository.review(session, review_id)
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
