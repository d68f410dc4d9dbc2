"""The queries of the division names table: the names of some codes, and the names the
registry announces or its dataset holds, kept unless a newer version is stored."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import upsert_replacing
from canlian.common.db.metadata import utcnow

_ASSIGNED = ("name", "level", "version", "updated_at")


async def names_of(session: AsyncSession, table: Table, codes: Collection[str]) -> dict[str, str]:
    """The known names of the codes; a code the table does not hold is left out."""
    if not codes:
        return {}
    rows = await session.execute(
        select(table.c.code, table.c.name).where(table.c.code.in_(sorted(codes)))
    )
    return {code: name for code, name in rows}


async def keep_names(
    session: AsyncSession, table: Table, names: Sequence[tuple[str, str, int, int]]
) -> None:
    """Store (code, name, level, version) rows; a stored row of a newer version stays."""
    if not names:
        return
    now = utcnow()
    # One row per code in a statement (ON CONFLICT cannot touch a row twice): the newest.
    newest: dict[str, dict[str, Any]] = {}
    for code, name, level, version in names:
        if code not in newest or newest[code]["version"] <= version:
            newest[code] = {
                "code": code,
                "name": name[:100],
                "level": level,
                "version": version,
                "updated_at": now,
            }
    statement = upsert_replacing(session, table, ["code"], _ASSIGNED, unless_newer="version")
    await session.execute(statement, list(newest.values()))
