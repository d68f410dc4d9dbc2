"""Queries of committee posts. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.needs.committee_members.models import CommitteePost


async def posts_by_id(
    session: AsyncSession, appointment_ids: Sequence[str]
) -> dict[str, CommitteePost]:
    rows = await session.scalars(
        select(CommitteePost).where(CommitteePost.appointment_id.in_(appointment_ids))
    )
    return {row.appointment_id: row for row in rows}


async def posts_of(session: AsyncSession, member_id: str) -> list[CommitteePost]:
    rows = await session.scalars(
        select(CommitteePost)
        .where(CommitteePost.member_id == member_id)
        .order_by(CommitteePost.appointment_id)
    )
    return list(rows)


async def held_posts_within(session: AsyncSession, region_prefix: str) -> list[CommitteePost]:
    rows = await session.scalars(
        select(CommitteePost)
        .where(
            CommitteePost.division_code.startswith(region_prefix),
            CommitteePost.holds_post.is_(True),
        )
        .order_by(CommitteePost.member_id, CommitteePost.appointment_id)
    )
    return list(rows)
