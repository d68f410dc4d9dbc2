"""Queries of divisions and their versions "as of" a date. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from canlian.common import divisions
from canlian.org_registry.divisions.models import Division, DivisionChange


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
