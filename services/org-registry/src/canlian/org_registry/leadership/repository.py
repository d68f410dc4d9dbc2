"""Queries of terms and their bodies. Takes a session; never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.org_registry.leadership.models import Body, Term


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
