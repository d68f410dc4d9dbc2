"""Queries of the organisations read model. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.common.db.dialect import matching
from canlian.common.rules import staffing
from canlian.members.organisations.models import Organisation, OrganisationCoverage


async def organisation(session: AsyncSession, organisation_id: str) -> Organisation | None:
    return await session.get(Organisation, organisation_id)


async def organisation_with_coverage(
    session: AsyncSession, organisation_id: str
) -> Organisation | None:
    return await session.scalar(
        select(Organisation)
        .where(Organisation.organisation_id == organisation_id)
        .options(selectinload(Organisation.coverage))
    )


def organisations_in(prefix: str) -> Select[Organisation]:
    return (
        select(Organisation)
        .where(Organisation.division_code.startswith(prefix))
        .options(selectinload(Organisation.coverage))
    )


async def organisations_by_id(
    session: AsyncSession, organisation_ids: Sequence[str]
) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    column = Organisation.__table__.c.organisation_id
    for condition in matching(session, column, list(organisation_ids)):
        rows = await session.scalars(select(Organisation).where(condition))
        found.update((row.organisation_id, row) for row in rows)
    return found


async def coverage_of(
    session: AsyncSession, organisation_ids: Sequence[str]
) -> dict[str, set[str]]:
    """Organisation -> the places recorded as covered now."""
    found: dict[str, set[str]] = {organisation_id: set() for organisation_id in organisation_ids}
    for start in range(0, len(organisation_ids), 1000):
        rows = await session.execute(
            select(OrganisationCoverage.organisation_id, OrganisationCoverage.division_code).where(
                OrganisationCoverage.organisation_id.in_(organisation_ids[start : start + 1000])
            )
        )
        for organisation_id, code in rows:
            found[organisation_id].add(code)
    return found


async def replace_coverage(session: AsyncSession, coverage: Mapping[str, Sequence[str]]) -> None:
    """Replace the places each given organisation serves."""
    ids = list(coverage)
    for start in range(0, len(ids), 1000):
        await session.execute(
            delete(OrganisationCoverage).where(
                OrganisationCoverage.organisation_id.in_(ids[start : start + 1000])
            )
        )
    session.add_all(
        OrganisationCoverage(organisation_id=organisation_id, division_code=code)
        for organisation_id, divisions in coverage.items()
        for code in sorted(set(divisions))
    )


async def places_served_by(
    session: AsyncSession, organisation_ids: Sequence[str]
) -> dict[str, list[str]]:
    """Organisation -> the places its committee member staffs (canlian.common.rules.staffing):
    a township federation's township, every village an association covers."""
    ids = sorted(set(organisation_ids))
    found: dict[str, list[str]] = {}
    for start in range(0, len(ids), 1000):
        rows = await session.scalars(
            select(Organisation)
            .where(Organisation.organisation_id.in_(ids[start : start + 1000]))
            .options(selectinload(Organisation.coverage))
        )
        for row in rows:
            found[row.organisation_id] = staffing.places_served(
                row.kind, row.level, row.division_code, [c.division_code for c in row.coverage]
            )
    return found


async def organisations_under(session: AsyncSession, prefix: str) -> list[Organisation]:
    return list(await session.scalars(organisations_in(prefix)))
