"""Queries of organisations, their coverage and their audit trail. Takes a session; never
commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.elements import ColumnElement

from canlian.common import divisions
from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.org_registry.organisations.models import ChangeRecord, Coverage, Organisation


async def organisation(
    session: AsyncSession, organisation_id: str, *, with_coverage: bool = False
) -> Organisation | None:
    statement = select(Organisation).where(Organisation.id == organisation_id)
    if with_coverage:
        statement = statement.options(selectinload(Organisation.coverages))
    return await session.scalar(statement)


async def organisation_for_update(
    session: AsyncSession, organisation_id: str
) -> Organisation | None:
    statement = (
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(selectinload(Organisation.coverages))
        .with_for_update()
    )
    return await session.scalar(statement)


def active() -> ColumnElement[bool]:
    return Organisation.status == OrganisationStatus.ESTABLISHED.value


async def active_federation_at(session: AsyncSession, code: str) -> Organisation | None:
    return await session.scalar(
        select(Organisation).where(
            Organisation.kind == OrganisationKind.FEDERATION.value,
            Organisation.division_code == code,
            active(),
        )
    )


async def nearest_federation(session: AsyncSession, codes: Sequence[str]) -> Organisation | None:
    """The active federation at the deepest of `codes` (a lineage), if any."""
    if not codes:
        return None
    return await session.scalar(
        select(Organisation)
        .where(
            Organisation.kind == OrganisationKind.FEDERATION.value,
            Organisation.division_code.in_(list(codes)),
            active(),
        )
        .order_by(Organisation.level.desc())
        .limit(1)
    )


async def active_special_association(
    session: AsyncSession, code: str, category: str
) -> Organisation | None:
    return await session.scalar(
        select(Organisation).where(
            Organisation.kind == OrganisationKind.SPECIAL_ASSOCIATION.value,
            Organisation.division_code == code,
            Organisation.special_category == category,
            active(),
        )
    )


async def adoptable(session: AsyncSession, federation: Organisation) -> list[Organisation]:
    """Active organisations under the federation's division whose parent is missing or sits
    above that division: the new federation is nearer to them."""
    parent = aliased(Organisation)
    prefix = divisions.prefix(federation.division_code)
    statement = (
        select(Organisation)
        .outerjoin(parent, Organisation.parent_id == parent.id)
        .where(
            Organisation.division_code.startswith(prefix),
            Organisation.id != federation.id,
            Organisation.kind != OrganisationKind.GROUP.value,
            active(),
            or_(Organisation.parent_id.is_(None), parent.level < federation.level),
            # A federation's parent sits strictly above it.
            or_(
                Organisation.kind != OrganisationKind.FEDERATION.value,
                Organisation.division_code != federation.division_code,
            ),
        )
        .options(selectinload(Organisation.coverages))
        .order_by(Organisation.id)
    )
    return list(await session.scalars(statement))


async def active_children_count(session: AsyncSession, organisation_id: str) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.parent_id == organisation_id, active())
        )
        or 0
    )


async def active_coverage_of(session: AsyncSession, villages: Sequence[str]) -> list[Coverage]:
    if not villages:
        return []
    rows = await session.scalars(
        select(Coverage).where(Coverage.village_code.in_(list(villages)), Coverage.active.is_(True))
    )
    return list(rows)


async def association_covering(session: AsyncSession, village: str) -> Organisation | None:
    return await session.scalar(
        select(Organisation)
        .join(Coverage, Coverage.organisation_id == Organisation.id)
        .where(Coverage.village_code == village, Coverage.active.is_(True), active())
    )


async def active_groups_at(session: AsyncSession, village: str) -> list[Organisation]:
    rows = await session.scalars(
        select(Organisation).where(
            Organisation.kind == OrganisationKind.GROUP.value,
            Organisation.division_code == village,
            active(),
        )
    )
    return list(rows)


def organisations_query(
    within: str,
    kind: str | None = None,
    status: str | None = None,
    level: int | None = None,
) -> Select[Organisation]:
    statement = select(Organisation).where(Organisation.division_code.startswith(within))
    if kind is not None:
        statement = statement.where(Organisation.kind == kind)
    if status is not None:
        statement = statement.where(Organisation.status == status)
    if level is not None:
        statement = statement.where(Organisation.level == level)
    return statement


def snapshots_query(within: str) -> Select[Organisation]:
    return organisations_query(within).options(selectinload(Organisation.coverages))


def add_change_record(session: AsyncSession, record: ChangeRecord) -> None:
    session.add(record)


def change_records_query(object_id: str) -> Select[ChangeRecord]:
    return select(ChangeRecord).where(ChangeRecord.object_id == object_id)


async def of_kind_under_for_update(
    session: AsyncSession, prefix: str, kind: OrganisationKind
) -> list[Organisation]:
    """Active organisations of a kind in the region, locked: a regional policy re-judges them."""
    statement = (
        select(Organisation)
        .where(
            Organisation.division_code.startswith(prefix),
            Organisation.kind == kind.value,
            active(),
        )
        .order_by(Organisation.id)
        .with_for_update(of=Organisation)
        .options(selectinload(Organisation.coverages))
    )
    return list(await session.scalars(statement))
