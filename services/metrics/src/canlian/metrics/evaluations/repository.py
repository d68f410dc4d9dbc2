"""Queries of evaluations. Takes a session, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
from canlian.metrics.evaluations.models import Evaluation, EvaluationIndicator


async def evaluation(
    session: AsyncSession, evaluation_id: int, *, lock: bool = False
) -> Evaluation | None:
    statement = select(Evaluation).where(Evaluation.id == evaluation_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(statement)


async def evaluation_of(
    session: AsyncSession, plan_code: str, division_code: str, kind: str
) -> Evaluation | None:
    """The one evaluation of a region for a plan's milestone, locked for update."""
    return await session.scalar(
        select(Evaluation)
        .where(
            Evaluation.plan_code == plan_code,
            Evaluation.division_code == division_code,
            Evaluation.kind == kind,
        )
        .with_for_update()
    )


async def indicators_of(session: AsyncSession, evaluation_id: int) -> list[EvaluationIndicator]:
    rows = await session.scalars(
        select(EvaluationIndicator)
        .where(EvaluationIndicator.evaluation_id == evaluation_id)
        .order_by(EvaluationIndicator.position)
    )
    return list(rows.all())


async def replace_indicators(
    session: AsyncSession, evaluation_id: int, rows: Sequence[EvaluationIndicator]
) -> None:
    await session.execute(
        delete(EvaluationIndicator).where(EvaluationIndicator.evaluation_id == evaluation_id)
    )
    session.add_all(rows)
    await session.flush()


def _comparison(
    plan_code: str, kind: str, prefix: str, level: int, indicator: str, status: str | None
) -> Select[Any]:
    columns: list[Any] = [
        Evaluation.division_code,
        Evaluation.id,
        Evaluation.year,
        Evaluation.approved_at,
        EvaluationIndicator.value,
        EvaluationIndicator.comparator,
        EvaluationIndicator.target,
        EvaluationIndicator.status,
        EvaluationIndicator.gap,
    ]
    statement: Select[Any] = (
        select(*columns)
        .join(EvaluationIndicator, EvaluationIndicator.evaluation_id == Evaluation.id)
        .where(
            Evaluation.plan_code == plan_code,
            Evaluation.kind == kind,
            Evaluation.status == "approved",
            Evaluation.level == level,
            Evaluation.division_code.startswith(prefix),
            EvaluationIndicator.indicator_code == indicator,
        )
    )
    if status is not None:
        statement = statement.where(EvaluationIndicator.status == status)
    return statement


async def compared(
    session: AsyncSession,
    *,
    plan_code: str,
    kind: str,
    prefix: str,
    level: int,
    indicator: str,
    status: str | None,
    paging: PageParams,
) -> tuple[list[Any], str | None]:
    """Approved evaluations of the regions of `level` under `prefix`, with one indicator's
    status, by division code (unique per plan and kind)."""
    return await paginate(
        session,
        _comparison(plan_code, kind, prefix, level, indicator, status),
        [Evaluation.division_code],
        paging,
    )
