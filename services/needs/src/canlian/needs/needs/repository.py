"""Queries of needs. Takes a session; never commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import insert_missing
from canlian.common.events.needs import Channel, NeedStatus
from canlian.common.pagination import PageParams, paginate
from canlian.common.sorting import SortOrder, paginate_by
from canlian.needs.needs.models import EscalationRun, Need

# A province's code (and the nation's): two digits, then zeros.
PROVINCE_OR_NATION = "__0000000000"


async def claim_escalation_day(session: AsyncSession, day: date, now: datetime) -> bool:
    """Claim the day's escalation run; False when it ran (or runs) already that day."""
    table = EscalationRun.__table__
    assert isinstance(table, Table)
    claimed = await insert_missing(
        session,
        table,
        ["run_on"],
        [{"run_on": day, "ran_at": now, "escalated": 0}],
        returning="run_on",
    )
    return bool(claimed)


async def record_escalation_run(session: AsyncSession, day: date, escalated: int) -> None:
    await session.execute(
        update(EscalationRun).where(EscalationRun.run_on == day).values(escalated=escalated)
    )


async def get(session: AsyncSession, need_id: str, *, for_update: bool = False) -> Need | None:
    statement = select(Need).where(Need.id == need_id)
    if for_update:
        statement = statement.with_for_update()
    row: Need | None = await session.scalar(statement)
    return row


async def open_need(session: AsyncSession, household_id: str, category: str) -> Need | None:
    """The household's need of this category not yet closed (at most one: new reports merge)."""
    row: Need | None = await session.scalar(
        select(Need)
        .where(
            Need.household_id == household_id,
            Need.category == category,
            Need.status != NeedStatus.CLOSED.value,
        )
        .order_by(Need.created_at)
        .limit(1)
        .with_for_update()
    )
    return row


async def list_needs(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    status: str | None,
    category: str | None,
    channel: str | None,
    household_id: str | None,
    overdue_on: date | None,
    order: SortOrder | None = None,
) -> tuple[list[Need], str | None]:
    statement = select(Need).where(Need.division_code.startswith(region_prefix))
    if status is not None:
        statement = statement.where(Need.status == status)
    if category is not None:
        statement = statement.where(Need.category == category)
    if channel is not None:
        statement = statement.where(Need.channel == channel)
    if household_id is not None:
        statement = statement.where(Need.household_id == household_id)
    if overdue_on is not None:
        statement = statement.where(
            Need.status != NeedStatus.CLOSED.value, Need.due_on < overdue_on
        )
    if order is not None:
        return await paginate_by(session, statement, order, paging)
    return await paginate(session, statement, [Need.division_code, Need.id], paging)


async def newly_past_deadline(
    session: AsyncSession, region_prefix: str, today: date, limit: int
) -> list[Need]:
    """Open needs past their closing deadline (a petition's statutory one, else the step's due
    date, as a closing judges it) not yet marked overdue, and petitions not accepted past their
    acceptance deadline not yet marked; locked (others skip them)."""
    closing_deadline = func.coalesce(Need.petition_closing_due, Need.due_on)
    rows = await session.scalars(
        select(Need)
        .where(
            Need.division_code.startswith(region_prefix),
            Need.status != NeedStatus.CLOSED.value,
            or_(
                and_(~Need.overdue, closing_deadline < today),
                and_(
                    ~Need.acceptance_overdue,
                    Need.channel == Channel.PETITION.value,
                    Need.assessed_on.is_(None),
                    Need.petition_acceptance_due < today,
                ),
            ),
        )
        .order_by(Need.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def overdue(session: AsyncSession, region_prefix: str, today: date, limit: int) -> list[Need]:
    """Open needs past their due date that a level above can take (not yet with a province's
    federation), oldest first, locked (others' escalations skip them)."""
    rows = await session.scalars(
        select(Need)
        .where(
            Need.division_code.startswith(region_prefix),
            Need.status != NeedStatus.CLOSED.value,
            Need.due_on < today,
            ~Need.handling_division.like(PROVINCE_OR_NATION),
        )
        .order_by(Need.due_on, Need.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)
