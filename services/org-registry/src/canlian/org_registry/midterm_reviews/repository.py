"""Queries of mid-term reviews. Takes a session; never commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.midterm_reviews.models import MidTermReview
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.term_acts.models import RECORDED


async def review_of_term(session: AsyncSession, term_id: int) -> MidTermReview | None:
    """The term's review in force (not withdrawn)."""
    return await session.scalar(
        select(MidTermReview).where(
            MidTermReview.term_id == term_id, MidTermReview.status == RECORDED
        )
    )


def recorded_in(prefix: str) -> Select[*tuple[Any, ...]]:
    """Reviews in force with their terms, for the metrics' reconciliation."""
    return (
        select(MidTermReview, Term)
        .join(Term, Term.id == MidTermReview.term_id)
        .where(MidTermReview.division_code.startswith(prefix), MidTermReview.status == RECORDED)
    )


def reviews_in(prefix: str, organisation_id: str | None) -> Select[MidTermReview]:
    statement = select(MidTermReview).where(MidTermReview.division_code.startswith(prefix))
    if organisation_id is not None:
        statement = statement.where(MidTermReview.organisation_id == organisation_id)
    return statement


async def terms_in_office(
    session: AsyncSession, prefix: str, on: date
) -> list[tuple[Organisation, Term, bool]]:
    """Active federations' terms in office on `on`, each with whether it was reviewed."""
    reviewed = (
        select(MidTermReview.id)
        .where(MidTermReview.term_id == Term.id, MidTermReview.status == RECORDED)
        .exists()
    )
    rows = await session.execute(
        select(Organisation, Term, reviewed)
        .join(Term, Term.organisation_id == Organisation.id)
        .where(
            Organisation.division_code.startswith(prefix),
            Organisation.kind == OrganisationKind.FEDERATION.value,
            Organisation.status != OrganisationStatus.DISSOLVED.value,
            Term.starts_on <= on,
            Term.ends_on >= on,
        )
        .order_by(Organisation.division_code, Organisation.id, Term.number)
    )
    return [(row[0], row[1], bool(row[2])) for row in rows]


async def term(session: AsyncSession, term_id: int) -> Term | None:
    return await session.get(Term, term_id)
