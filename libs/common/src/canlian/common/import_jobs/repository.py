"""Every query on `import_jobs`. Claims, progress and the end of a run each name the claim
token of the run that holds the job, so a run that lost its job (taken as dead and claimed
again) can change nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, Table, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import supports_skip_locked
from canlian.common.import_jobs.table import FAILED, QUEUED, RUNNING
from canlian.common.pagination import PageParams, paginate


def _shown(table: Table) -> list[Any]:
    """Every column but the upload: what reading a job needs."""
    return [column for column in table.c if column.name != "content"]


async def add_job(session: AsyncSession, table: Table, values: dict[str, Any]) -> None:
    await session.execute(table.insert().values(**values))


async def job_in_scope(
    session: AsyncSession, table: Table, job_id: str, region_prefix: str
) -> Row[Any] | None:
    statement = select(*_shown(table)).where(
        table.c.id == job_id, table.c.region.startswith(region_prefix, autoescape=True)
    )
    return (await session.execute(statement)).first()


async def jobs_in_scope(
    session: AsyncSession,
    table: Table,
    region_prefix: str,
    params: PageParams,
    status: str | None = None,
) -> tuple[list[Any], str | None]:
    statement = select(*_shown(table)).where(
        table.c.region.startswith(region_prefix, autoescape=True)
    )
    if status is not None:
        statement = statement.where(table.c.status == status)
    return await paginate(session, statement, [table.c.created_at, table.c.id], params)


async def next_claimable(
    session: AsyncSession, table: Table, stale_before: datetime
) -> Row[Any] | None:
    """The oldest queued job, or a running one whose worker has gone quiet, locked. On
    PostgreSQL jobs another replica is claiming right now are skipped (SKIP LOCKED), never
    waited for; SQLite's one writer at a time (BEGIN IMMEDIATE) does the same there."""
    statement: Select[Any] = (
        select(table.c.id, table.c.status, table.c.attempts, table.c.version)
        .where(
            or_(
                table.c.status == QUEUED,
                and_(table.c.status == RUNNING, table.c.heartbeat_at < stale_before),
            )
        )
        .order_by(table.c.created_at, table.c.id)
        .limit(1)
    )
    if supports_skip_locked(session):
        statement = statement.with_for_update(skip_locked=True)
    found: Row[Any] | None = (await session.execute(statement)).first()
    return found


async def take(
    session: AsyncSession, table: Table, job: Row[Any], claim: str, now: datetime
) -> Row[Any] | None:
    """Mark the job running under this claim; its row with the upload, or None when it
    changed since it was read."""
    result = await session.execute(
        update(table)
        .where(table.c.id == job.id, table.c.version == job.version)
        .values(
            status=RUNNING,
            claim=claim,
            attempts=table.c.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            rows_done=0,
            version=table.c.version + 1,
        )
        .returning(*table.c)
    )
    return result.first()


async def record_progress(
    session: AsyncSession,
    table: Table,
    job_id: str,
    claim: str,
    *,
    rows_done: int | None,
    rows_total: int | None,
    now: datetime,
) -> bool:
    """The run's heartbeat, and its progress when `rows_done` is given (a new version)."""
    values: dict[str, Any] = {"heartbeat_at": now}
    if rows_done is not None:
        values.update(rows_done=rows_done, rows_total=rows_total, version=table.c.version + 1)
    result = await session.execute(
        update(table)
        .where(table.c.id == job_id, table.c.claim == claim, table.c.status == RUNNING)
        .values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


async def finish(
    session: AsyncSession,
    table: Table,
    job_id: str,
    claim: str,
    *,
    status: str,
    now: datetime,
    report: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
    rows_done: int | None = None,
    rows_total: int | None = None,
) -> bool:
    """End the job: its report or problem, the upload dropped. False when the run no longer
    holds it."""
    values: dict[str, Any] = {
        "status": status,
        "report": report,
        "error": error,
        "content": None,
        "claim": None,
        "finished_at": now,
        "version": table.c.version + 1,
    }
    if rows_done is not None:
        values.update(rows_done=rows_done, rows_total=rows_total)
    statement = update(table).where(
        table.c.id == job_id, table.c.claim == claim, table.c.status == RUNNING
    )
    result = await session.execute(statement.values(**values))
    return bool(getattr(result, "rowcount", 0))


async def give_up(
    session: AsyncSession, table: Table, job: Row[Any], error: dict[str, Any], now: datetime
) -> None:
    """A running job whose worker died too often: failed, whoever held it."""
    await session.execute(
        update(table)
        .where(table.c.id == job.id, table.c.version == job.version)
        .values(
            status=FAILED,
            error=error,
            content=None,
            claim=None,
            finished_at=now,
            version=table.c.version + 1,
        )
    )


async def release(session: AsyncSession, table: Table, job_id: str, claim: str) -> None:
    """Back to the queue (its process is stopping): the attempt does not count."""
    await session.execute(
        update(table)
        .where(table.c.id == job_id, table.c.claim == claim, table.c.status == RUNNING)
        .values(
            status=QUEUED,
            claim=None,
            attempts=table.c.attempts - 1,
            rows_done=0,
            version=table.c.version + 1,
        )
    )
