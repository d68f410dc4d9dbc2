"""Queries of acceptance checklists and inspections. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.org_registry.acceptance.models import AcceptanceChecklist, Inspection
from canlian.org_registry.organisations.models import Organisation


async def checklists_of(
    session: AsyncSession, regions: Sequence[str], level: int
) -> list[AcceptanceChecklist]:
    """Every checklist the regions set for the level, with their items."""
    rows = await session.scalars(
        select(AcceptanceChecklist)
        .where(AcceptanceChecklist.division_code.in_(regions), AcceptanceChecklist.level == level)
        .options(selectinload(AcceptanceChecklist.items))
    )
    return list(rows)


async def checklist(session: AsyncSession, checklist_id: str) -> AcceptanceChecklist | None:
    return await session.scalar(
        select(AcceptanceChecklist)
        .where(AcceptanceChecklist.id == checklist_id)
        .options(selectinload(AcceptanceChecklist.items))
    )


async def checklist_starting(
    session: AsyncSession, division_code: str, level: int, effective_from: date
) -> AcceptanceChecklist | None:
    return await session.scalar(
        select(AcceptanceChecklist).where(
            AcceptanceChecklist.division_code == division_code,
            AcceptanceChecklist.level == level,
            AcceptanceChecklist.effective_from == effective_from,
        )
    )


def checklists_in(prefix: str, level: int | None) -> Select[AcceptanceChecklist]:
    statement = (
        select(AcceptanceChecklist)
        .where(AcceptanceChecklist.division_code.startswith(prefix))
        .options(selectinload(AcceptanceChecklist.items))
    )
    if level is not None:
        statement = statement.where(AcceptanceChecklist.level == level)
    return statement


async def inspection(
    session: AsyncSession, inspection_id: str, *, for_update: bool = False
) -> Inspection | None:
    statement = (
        select(Inspection)
        .where(Inspection.id == inspection_id)
        .options(selectinload(Inspection.findings))
    )
    if for_update:
        statement = statement.with_for_update(of=Inspection)
    return await session.scalar(statement)


async def current_inspection(session: AsyncSession, organisation_id: str) -> Inspection | None:
    """The inspection no re-inspection has replaced (at most one per organisation)."""
    return await session.scalar(
        select(Inspection).where(
            Inspection.organisation_id == organisation_id, Inspection.superseded_by.is_(None)
        )
    )


def inspections_of(organisation_id: str) -> Select[Inspection]:
    return (
        select(Inspection)
        .where(Inspection.organisation_id == organisation_id)
        .options(selectinload(Inspection.findings))
    )


def current_inspections_in(prefix: str) -> Select[Any]:
    """The inspections that count (none replaced them) of organisations in the region."""
    return select(Inspection).where(
        Inspection.superseded_by.is_(None), Inspection.division_code.startswith(prefix)
    )


async def levels_and_kinds(
    session: AsyncSession, organisation_ids: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """Organisation id -> (level, kind), as the inspections' events carried them."""
    rows = await session.execute(
        select(Organisation.id, Organisation.level, Organisation.kind).where(
            Organisation.id.in_(organisation_ids)
        )
    )
    return {row.id: (row.level, row.kind) for row in rows}
