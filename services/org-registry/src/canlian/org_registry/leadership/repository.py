"""Queries of terms and their bodies. Takes a session; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.common.events.org_registry import OrganisationKind
from canlian.org_registry.leadership.models import Body, Term
from canlian.org_registry.organisations.models import Organisation


async def terms_of(session: AsyncSession, organisation_id: str) -> list[Term]:
    rows = await session.scalars(
        select(Term).where(Term.organisation_id == organisation_id).order_by(Term.number)
    )
    return list(rows)


async def current_term(
    session: AsyncSession, organisation_id: str, *, with_bodies: bool = False
) -> Term | None:
    statement = (
        select(Term)
        .where(Term.organisation_id == organisation_id)
        .order_by(Term.number.desc())
        .limit(1)
    )
    if with_bodies:
        statement = statement.options(selectinload(Term.bodies).selectinload(Body.members))
    return await session.scalar(statement)


async def term(
    session: AsyncSession, organisation_id: str, number: int, *, with_bodies: bool = False
) -> Term | None:
    statement = select(Term).where(Term.organisation_id == organisation_id, Term.number == number)
    if with_bodies:
        statement = statement.options(selectinload(Term.bodies).selectinload(Body.members))
    return await session.scalar(statement)


def federation_terms_in(prefix: str) -> Select[*tuple[Any, ...]]:
    """Every term of the federations in a region with its organisation, for the metrics'
    reconciliation of the terms due a mid-term review."""
    return (
        select(Term, Organisation)
        .join(Organisation, Organisation.id == Term.organisation_id)
        .where(
            Organisation.division_code.startswith(prefix),
            Organisation.kind == OrganisationKind.FEDERATION.value,
        )
    )
