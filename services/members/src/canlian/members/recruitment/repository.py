"""Queries of recruitment rounds and applicants. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.members.recruitment.models import Applicant, OfferedPost, RecruitmentRound
from canlian.members.recruitment.schemas import ApplicantStatus


async def recruitment_round(
    session: AsyncSession, round_id: int, *, for_update: bool = False
) -> RecruitmentRound | None:
    statement = (
        select(RecruitmentRound)
        .where(RecruitmentRound.id == round_id)
        .options(selectinload(RecruitmentRound.posts))
        .execution_options(populate_existing=True)
    )
    if for_update:  # locked until the request commits, its version fresh
        statement = statement.with_for_update(of=RecruitmentRound)
    return await session.scalar(statement)


def rounds_in(prefix: str) -> Select[RecruitmentRound]:
    return (
        select(RecruitmentRound)
        .where(RecruitmentRound.division_code.startswith(prefix))
        .options(selectinload(RecruitmentRound.posts))
    )


async def offered_post(session: AsyncSession, offered_post_id: int) -> OfferedPost | None:
    return await session.get(OfferedPost, offered_post_id)


async def applicant(
    session: AsyncSession, applicant_id: int, *, for_update: bool = False
) -> Applicant | None:
    if for_update:
        return await session.get(
            Applicant, applicant_id, with_for_update=True, populate_existing=True
        )
    return await session.get(Applicant, applicant_id)


async def applicant_by_citizen_index(
    session: AsyncSession, round_id: int, index: str
) -> Applicant | None:
    return await session.scalar(
        select(Applicant).where(Applicant.round_id == round_id, Applicant.citizen_id_index == index)
    )


def applicants_in(
    prefix: str, *, round_id: int | None = None, offered_post_id: int | None = None
) -> Select[Applicant]:
    statement = select(Applicant).where(Applicant.division_code.startswith(prefix))
    if round_id is not None:
        statement = statement.where(Applicant.round_id == round_id)
    if offered_post_id is not None:
        statement = statement.where(Applicant.offered_post_id == offered_post_id)
    return statement


def ranking_of(round_id: int, prefix: str) -> Select[Applicant]:
    """The ranked applicants of a round, post by post in rank order."""
    return applicants_in(prefix, round_id=round_id).where(Applicant.rank.is_not(None))


async def applicants_of_round(session: AsyncSession, round_id: int) -> list[Applicant]:
    rows = await session.scalars(
        select(Applicant)
        .where(Applicant.round_id == round_id)
        .order_by(Applicant.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def applicants_of_post(session: AsyncSession, offered_post_id: int) -> list[Applicant]:
    rows = await session.scalars(
        select(Applicant).where(Applicant.offered_post_id == offered_post_id).order_by(Applicant.id)
    )
    return list(rows)


async def selected_counts(session: AsyncSession, post_ids: Sequence[int]) -> dict[int, int]:
    if not post_ids:
        return {}
    rows = await session.execute(
        select(Applicant.offered_post_id, func.count())
        .where(
            Applicant.offered_post_id.in_(post_ids),
            Applicant.status == ApplicantStatus.SELECTED,
        )
        .group_by(Applicant.offered_post_id)
    )
    return {row[0]: int(row[1]) for row in rows}
