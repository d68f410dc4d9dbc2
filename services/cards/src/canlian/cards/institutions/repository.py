"""Queries about designated assessment institutions; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.institutions.models import Institution
from canlian.common import divisions


async def get_institution(
    session: AsyncSession, institution_id: int, *, lock: bool = False
) -> Institution | None:
    statement = select(Institution).where(Institution.id == institution_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


async def institution_named(
    session: AsyncSession, division_code: str, name: str
) -> Institution | None:
    statement = select(Institution).where(
        Institution.division_code == division_code, Institution.name == name
    )
    return (await session.scalars(statement)).first()


def institutions_query(region: str, active: bool | None) -> Select[Any]:
    """Institutions serving the region: designated inside it or by one of its ancestors."""
    statement = select(Institution).where(
        Institution.division_code.startswith(divisions.prefix(region))
        | Institution.division_code.in_(divisions.ancestors(region))
    )
    if active is not None:
        statement = statement.where(Institution.active == active)
    return statement
