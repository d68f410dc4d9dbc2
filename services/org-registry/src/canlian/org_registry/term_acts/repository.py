"""Queries every kind of act shares. Takes a session; never commits."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.org_registry.term_acts.models import TermAct, TermActVersion

A = TypeVar("A", bound=TermAct)
V = TypeVar("V", bound=TermActVersion)


async def act(
    session: AsyncSession, model: type[A], act_id: int, *, for_update: bool = False
) -> A | None:
    return await session.get(model, act_id, with_for_update=for_update)


def add_version(session: AsyncSession, version: TermActVersion) -> None:
    session.add(version)


async def versions_of(session: AsyncSession, model: type[V], act_id: int) -> list[V]:
    rows = await session.scalars(
        select(model).where(model.review_id == act_id).order_by(model.version)
    )
    return list(rows)
