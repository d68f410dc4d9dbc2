"""Every query of the org-registry service. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.elements import ColumnElement

from canlian.common import divisions
from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.org_registry.models import (
    Body,
    ChangeRecord,
    Coverage,
    Division,
    DivisionChange,
    Organisation,
    Term,
)

# ---------------------------------------------------------------------------- divisions


def in_force(as_of: date | None) -> ColumnElement[bool]:
    """Versions in force on `as_of`; the current versions when it is None."""
    if as_of is None:
        return Division.valid_to.is_(None)
    return and_(
        or_(Division.valid_from.is_(None), Division.valid_from <= as_of),
        or_(Division.valid_to.is_(None), Division.valid_to > as_of),
    )


async def division(session: AsyncSession, code: str, as_of: date | None = None) -> Division | None:
    return await session.scalar(select(Division).where(Division.code == code, in_force(as_of)))


async def divisions_by_code(
    session: AsyncSession, codes: Iterable[str], as_of: date | None = None
) -> dict[str, Division]:
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = await session.scalars(select(Division).where(Division.code.in_(wanted), in_force(as_of)))
    return {row.code: row for row in rows}


async def versions_of(session: AsyncSession, code: str) -> list[Division]:
    rows = await session.scalars(
        select(Division)
        .where(Division.code == code)
        .order_by(Division.valid_from.asc().nulls_first(), Division.id)
    )
    return list(rows)


async def version_count(session: AsyncSession, code: str) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(Division).where(Division.code == code)
        )
        or 0
    )


async def any_version_exists(session: AsyncSession, code: str) -> bool:
    return bool(await session.scalar(select(exists().where(Division.code == code))))


def children_query(code: str, as_of: date | None) -> Select[Division]:
    parent = None if code == divisions.NATION else code
    condition = Division.parent_code.is_(None) if parent is None else Division.parent_code == parent
    return select(Division).where(condition, in_force(as_of))


async def child_count(session: AsyncSession, code: str, as_of: date | None = None) -> int:
    statement = children_query(code, as_of).with_only_columns(func.count())
    return int(await session.scalar(statement) or 0)


async def lineage(session: AsyncSession, code: str, as_of: date | None) -> list[Division]:
    """The division's ancestors in force on `as_of`, from the province down."""
    above = [item for item in divisions.ancestors(code) if item != divisions.NATION]
    found = await divisions_by_code(session, above, as_of)
    return sorted(found.values(), key=lambda item: item.level)


def search_query(name: str, within: str, level: int | None, as_of: date | None) -> Select[Division]:
    escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    statement = select(Division).where(
        Division.name.like(f"%{escaped}%", escape="\\"),
        Division.code.startswith(within),
        in_force(as_of),
    )
    if level is not None:
        statement = statement.where(Division.level == level)
    return statement


async def dataset_rows_for(
    session: AsyncSession, codes: Sequence[str]
) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored version of these codes: (id, name, level, parent, valid_from, valid_to)."""
    result = await session.execute(
        select(
            Division.code,
            Division.id,
            Division.name,
            Division.level,
            Division.parent_code,
            Division.valid_from,
            Division.valid_to,
        ).where(Division.code.in_(codes))
    )
    found: dict[str, list[tuple[Any, ...]]] = {}
    for row in result:
        found.setdefault(row[0], []).append(tuple(row[1:]))
    return found


async def insert_divisions(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(Division), list(rows))


async def close_versions(session: AsyncSession, ids: Sequence[int], valid_to: date) -> None:
    if ids:
        await session.execute(
            update(Division).where(Division.id.in_(ids)).values(valid_to=valid_to)
        )


async def changes_of(session: AsyncSession, code: str) -> list[DivisionChange]:
    """Changes of the division itself and those that made it a successor."""
    rows = await session.scalars(
        select(DivisionChange)
        .where(or_(DivisionChange.code == code, DivisionChange.successor_code == code))
        .order_by(DivisionChange.effective_on, DivisionChange.id)
    )
    return list(rows)


# ------------------------------------------------------------------------ organisations


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


def _active() -> ColumnElement[bool]:
    return Organisation.status == OrganisationStatus.ESTABLISHED.value


async def active_federation_at(session: AsyncSession, code: str) -> Organisation | None:
    return await session.scalar(
        select(Organisation).where(
            Organisation.kind == OrganisationKind.FEDERATION.value,
            Organisation.division_code == code,
            _active(),
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
            _active(),
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
            _active(),
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
            _active(),
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
            .where(Organisation.parent_id == organisation_id, _active())
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
        .where(Coverage.village_code == village, Coverage.active.is_(True), _active())
    )


async def active_groups_at(session: AsyncSession, village: str) -> list[Organisation]:
    rows = await session.scalars(
        select(Organisation).where(
            Organisation.kind == OrganisationKind.GROUP.value,
            Organisation.division_code == village,
            _active(),
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


async def organisations_within(
    session: AsyncSession, within: str, *, include_dissolved: bool, limit: int
) -> list[Organisation]:
    statement = organisations_query(within).order_by(Organisation.level, Organisation.id)
    if not include_dissolved:
        statement = statement.where(_active())
    return list(await session.scalars(statement.limit(limit)))


# ------------------------------------------------------------------ terms and leadership


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


# -------------------------------------------------------------------------- questions


def _covered_on(as_of: date | None) -> ColumnElement[bool]:
    """An association covers the village on `as_of` (now when None)."""
    during: ColumnElement[bool]
    if as_of is None:
        during = Coverage.active.is_(True)
    else:
        during = and_(
            or_(Coverage.started_on.is_(None), Coverage.started_on <= as_of),
            or_(Coverage.ended_on.is_(None), Coverage.ended_on > as_of),
        )
    return exists().where(Coverage.village_code == Division.code, during)


def _villages(within: str, as_of: date | None) -> ColumnElement[bool]:
    return and_(Division.level == 5, Division.code.startswith(within), in_force(as_of))


def uncovered_villages_query(within: str, as_of: date | None = None) -> Select[Division]:
    return select(Division).where(_villages(within, as_of), ~_covered_on(as_of))


async def village_coverage_counts(
    session: AsyncSession, within: str, as_of: date | None = None
) -> tuple[int, int]:
    """(villages in force on `as_of`, of which covered by an association on that day)."""
    villages = await session.scalar(
        select(func.count()).select_from(Division).where(_villages(within, as_of))
    )
    covered = await session.scalar(
        select(func.count())
        .select_from(Division)
        .where(_villages(within, as_of), _covered_on(as_of))
    )
    return int(villages or 0), int(covered or 0)


def township_federations_without_full_time_chair_query(within: str) -> Select[Organisation]:
    return select(Organisation).where(
        Organisation.kind == OrganisationKind.FEDERATION.value,
        Organisation.level == 4,
        Organisation.division_code.startswith(within),
        Organisation.has_full_time_chair.is_(False),
        _active(),
    )


def elections_due_query(within: str, until: date) -> Select[*tuple[Any, ...]]:
    later = aliased(Term)
    newer = exists().where(
        later.organisation_id == Term.organisation_id, later.number > Term.number
    )
    return (
        select(
            Term.next_election_due,
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            Organisation.level,
            Organisation.division_code,
            Term.number,
            Term.starts_on,
            Term.ends_on,
        )
        .join(Organisation, Organisation.id == Term.organisation_id)
        .where(
            Organisation.division_code.startswith(within),
            _active(),
            ~newer,
            Term.next_election_due <= until,
        )
    )


def failing_query(
    within: str, flag: str | None, minimum_funds_by_level: dict[int, int], kinds: Sequence[str]
) -> Select[Organisation]:
    """Active organisations whose `flag` is false, or whose yearly activity funds are below
    their level's minimum (when no flag is given)."""
    failing: ColumnElement[bool]
    if flag is not None:
        failing = getattr(Organisation, flag).is_(False)
    else:
        funds = Organisation.yearly_activity_funds_yuan
        failing = or_(
            funds.is_(None),
            *(
                and_(Organisation.level == level, funds < minimum)
                for level, minimum in sorted(minimum_funds_by_level.items())
            ),
        )
    statement = select(Organisation).where(
        Organisation.division_code.startswith(within), _active(), failing
    )
    if kinds:
        statement = statement.where(Organisation.kind.in_(list(kinds)))
    return statement


# ------------------------------------------------------------------------------ audit


def add_change_record(session: AsyncSession, record: ChangeRecord) -> None:
    session.add(record)


def change_records_query(object_id: str) -> Select[ChangeRecord]:
    return select(ChangeRecord).where(ChangeRecord.object_id == object_id)
