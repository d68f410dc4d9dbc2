"""Queries of the division read model. Takes a session, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import division_words
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


async def pastoral_levels_within(session: AsyncSession, prefix: str) -> set[int]:
    """The levels at which some division whose code starts with `prefix` is named the pastoral
    way (a 旗, 苏木 or 嘎查: the word anywhere in the name, as in 某某嘎查委员会).

    One statement, one pass over the divisions within `prefix`: a province's indicators ask
    this on every read, and where no division is named so (most of China) each level's
    question read every division of the province."""
    named = or_(
        *(
            and_(Division.level == level, Division.name.contains(word, autoescape=True))
            for level, word in division_words.PASTORAL.items()
        )
    )
    statement = select(Division.level).where(Division.code.startswith(prefix), named).distinct()
    return {int(level) for level in (await session.scalars(statement)).all()}


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


async def governed_codes_within(session: AsyncSession, prefix: str) -> list[str]:
    """Townships with segment 400+ and villages with segment 498/598 under `prefix`: the
    divisions whose place in the denominators a region's policy decides (rules.denominators)."""
    township = (Division.level == 4) & (func.substr(Division.code, 7, 3) >= "400")
    village = (Division.level == 5) & func.substr(Division.code, 10, 3).in_(["498", "598"])
    rows = await session.scalars(
        select(Division.code)
        .where(Division.code.startswith(prefix), township | village)
        .order_by(Division.code)
    )
    return list(rows.all())
