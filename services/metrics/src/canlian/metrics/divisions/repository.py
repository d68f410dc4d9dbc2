"""Queries of the division read model. Takes a session, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import (
    upsert_replacing,
)
from canlian.metrics.db import chunks
from canlian.metrics.divisions.models import Division


async def division(session: AsyncSession, code: str) -> Division | None:
    return await session.get(Division, code)


async def any_division_within(session: AsyncSession, prefix: str) -> bool:
    """Whether the read model holds any division whose code starts with `prefix`."""
    statement = select(Division.code).where(Division.code.startswith(prefix)).limit(1)
    return (await session.scalar(statement)) is not None


async def divisions_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Division]:
    found: dict[str, Division] = {}
    for chunk in chunks(list(codes)):
        for row in (await session.scalars(select(Division).where(Division.code.in_(chunk)))).all():
            found[row.code] = row
    return found


async def child_divisions(session: AsyncSession, parent_code: str) -> list[Division]:
    rows = await session.scalars(
        select(Division).where(Division.parent_code == parent_code).order_by(Division.code)
    )
    return list(rows.all())


async def divisions_at_level(session: AsyncSession, prefix: str, level: int) -> list[Division]:
    rows = await session.scalars(
        select(Division)
        .where(Division.code.startswith(prefix), Division.level == level)
        .order_by(Division.code)
    )
    return list(rows.all())


async def save_divisions(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = upsert_replacing(
        session,
        Division.__table__,  # type: ignore[arg-type]
        ["code"],
        ["name", "level", "parent_code"],
    )
    for chunk in chunks(list(rows)):
        await session.execute(statement, list(chunk))


async def division_codes(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(Division.code).order_by(Division.code))).all())
