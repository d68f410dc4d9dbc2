"""Queries of budget reviews. Takes a session; never commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.org_registry.budget_reviews.models import BudgetReview
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.term_acts.models import RECORDED


async def review_of(session: AsyncSession, term_id: int, year: int) -> BudgetReview | None:
    """The term's review of the year in force (not withdrawn)."""
    return await session.scalar(
        select(BudgetReview).where(
            BudgetReview.term_id == term_id,
            BudgetReview.year == year,
            BudgetReview.status == RECORDED,
        )
    )


def recorded_in(prefix: str) -> Select[BudgetReview]:
    """Reviews in force, for the metrics' reconciliation."""
    return select(BudgetReview).where(
        BudgetReview.division_code.startswith(prefix), BudgetReview.status == RECORDED
    )


def reviews_in(prefix: str, year: int | None, organisation_id: str | None) -> Select[BudgetReview]:
    statement = select(BudgetReview).where(BudgetReview.division_code.startswith(prefix))
    if year is not None:
        statement = statement.where(BudgetReview.year == year)
    if organisation_id is not None:
        statement = statement.where(BudgetReview.organisation_id == organisation_id)
    return statement


async def terms_covering(
    session: AsyncSession, prefix: str, year: int
) -> list[tuple[Organisation, Term, bool]]:
    """Active federations' terms that include part of the year, each with whether the year's
    review is recorded."""
    reviewed = (
        select(BudgetReview.id)
        .where(
            BudgetReview.term_id == Term.id,
            BudgetReview.year == year,
            BudgetReview.status == RECORDED,
        )
        .exists()
    )
    rows = await session.execute(
        select(Organisation, Term, reviewed)
        .join(Term, Term.organisation_id == Organisation.id)
        .where(
            Organisation.division_code.startswith(prefix),
            Organisation.kind == OrganisationKind.FEDERATION.value,
            Organisation.status != OrganisationStatus.DISSOLVED.value,
            Term.starts_on <= date(year, 12, 31),
            Term.ends_on >= date(year, 1, 1),
        )
        .order_by(Organisation.division_code, Organisation.id, Term.number)
    )
    return [(row[0], row[1], bool(row[2])) for row in rows]
