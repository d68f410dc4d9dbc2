"""Queries of the archive. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import insert_objects, matching, reserve_ids
from canlian.members.archive.models import Member


async def member(
    session: AsyncSession, member_id: int, *, for_update: bool = False
) -> Member | None:
    if for_update:  # locked until the request commits, its version fresh
        return await session.get(Member, member_id, with_for_update=True, populate_existing=True)
    return await session.get(Member, member_id)


def _members_table() -> Table:
    table = Member.__table__
    assert isinstance(table, Table)
    return table


async def insert_members(session: AsyncSession, members: Sequence[Member]) -> None:
    """New archive entries in one set-based write (COPY on PostgreSQL), their ids drawn
    first; a citizen ID registered meanwhile raises IntegrityError."""
    for member, member_id in zip(
        members, await reserve_ids(session, _members_table(), len(members)), strict=True
    ):
        member.id = member_id
    await insert_objects(session, _members_table(), members)


async def member_by_citizen_index(session: AsyncSession, index: str) -> Member | None:
    return await session.scalar(select(Member).where(Member.citizen_id_index == index))


async def members_by_citizen_index(
    session: AsyncSession, indexes: Sequence[str]
) -> dict[str, Member]:
    found: dict[str, Member] = {}
    # One array parameter on PostgreSQL (a roster's every index at once), short lists elsewhere.
    for condition in matching(session, Member.__table__.c.citizen_id_index, list(indexes)):
        rows = await session.scalars(select(Member).where(condition))
        found.update((row.citizen_id_index, row) for row in rows)
    return found


def members_in(
    prefix: str,
    *,
    kind: str | None = None,
    in_talent_pool: bool | None = None,
    reserve_cadre: bool | None = None,
    disability_relation: str | None = None,
) -> Select[Member]:
    statement = select(Member).where(Member.division_code.startswith(prefix))
    if kind is not None:
        statement = statement.where(Member.kind == kind)
    if in_talent_pool is not None:
        statement = statement.where(Member.in_talent_pool == in_talent_pool)
    if reserve_cadre is not None:
        statement = statement.where(Member.reserve_cadre == reserve_cadre)
    if disability_relation is not None:
        statement = statement.where(Member.disability_relation == disability_relation)
    return statement
