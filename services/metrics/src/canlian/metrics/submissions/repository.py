"""Queries of submissions and deadlines. Takes a session, never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.metrics.db import chunks
from canlian.metrics.submissions.models import Submission, SubmissionDeadline


async def submission(
    session: AsyncSession, submission_id: int, *, lock: bool = False
) -> Submission | None:
    statement = select(Submission).where(Submission.id == submission_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(statement)


async def versions(
    session: AsyncSession, plan_code: str, division_code: str, year: int
) -> list[Submission]:
    """Every version of a region's figures for a year, oldest first."""
    rows = await session.scalars(
        select(Submission)
        .where(
            Submission.plan_code == plan_code,
            Submission.division_code == division_code,
            Submission.year == year,
        )
        .order_by(Submission.version)
    )
    return list(rows.all())


async def latest_of(
    session: AsyncSession, plan_code: str, division_codes: Sequence[str], year: int
) -> dict[str, Submission]:
    """Each region's latest version for the year (regions that never submitted are absent)."""
    found: dict[str, Submission] = {}
    for chunk in chunks(list(division_codes)):
        newest = (
            select(Submission.division_code, func.max(Submission.version).label("version"))
            .where(
                Submission.plan_code == plan_code,
                Submission.year == year,
                Submission.division_code.in_(chunk),
            )
            .group_by(Submission.division_code)
            .subquery()
        )
        rows = await session.scalars(
            select(Submission)
            .join(
                newest,
                (Submission.division_code == newest.c.division_code)
                & (Submission.version == newest.c.version),
            )
            .where(Submission.plan_code == plan_code, Submission.year == year)
        )
        found.update({row.division_code: row for row in rows})
    return found


async def locked(
    session: AsyncSession, plan_code: str, division_code: str, year: int
) -> Submission | None:
    """The latest accepted version: the figures in force for the year."""
    return await session.scalar(
        select(Submission)
        .where(
            Submission.plan_code == plan_code,
            Submission.division_code == division_code,
            Submission.year == year,
            Submission.status == "accepted",
        )
        .order_by(Submission.version.desc())
        .limit(1)
    )


async def deadlines(
    session: AsyncSession, plan_code: str, division_codes: Sequence[str], year: int
) -> dict[str, SubmissionDeadline]:
    rows = await session.scalars(
        select(SubmissionDeadline).where(
            SubmissionDeadline.plan_code == plan_code,
            SubmissionDeadline.year == year,
            SubmissionDeadline.division_code.in_(list(division_codes)),
        )
    )
    return {row.division_code: row for row in rows}


async def deadline(
    session: AsyncSession, plan_code: str, division_code: str, year: int, *, lock: bool = False
) -> SubmissionDeadline | None:
    return await session.get(
        SubmissionDeadline,
        (plan_code, division_code, year),
        with_for_update=lock,
        populate_existing=lock,
    )
