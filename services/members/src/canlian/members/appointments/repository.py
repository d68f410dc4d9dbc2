"""Queries of appointments and the allowance policy. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, Table, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from canlian.common.db.dialect import insert_objects, matching, reserve_ids
from canlian.common.events.members import Post
from canlian.common.rules import allowances
from canlian.members.appointments.models import AllowanceMinimum, Appointment, StatusChange
from canlian.members.appointments.state_machine import HOLDING


async def appointment(
    session: AsyncSession, appointment_id: int, *, for_update: bool = False
) -> Appointment | None:
    if for_update:  # locked until the request commits, its version fresh
        return await session.get(
            Appointment, appointment_id, with_for_update=True, populate_existing=True
        )
    return await session.get(Appointment, appointment_id)


def _table(model: type[Appointment] | type[StatusChange]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


async def insert_appointments(session: AsyncSession, appointments: Sequence[Appointment]) -> None:
    """New appointments of members already written, with their status changes, in two
    set-based writes (COPY on PostgreSQL), their ids drawn first; a seat taken meanwhile
    raises IntegrityError."""
    changes = [change for appointment in appointments for change in appointment.history]
    ids = await reserve_ids(session, _table(Appointment), len(appointments))
    for appointment, appointment_id in zip(appointments, ids, strict=True):
        appointment.id = appointment_id
        appointment.member_id = appointment.member.id
        for change in appointment.history:
            change.appointment_id = appointment_id
    for change, change_id in zip(
        changes, await reserve_ids(session, _table(StatusChange), len(changes)), strict=True
    ):
        change.id = change_id
    await insert_objects(session, _table(Appointment), appointments)
    await insert_objects(session, _table(StatusChange), changes)


async def appointment_with_history(
    session: AsyncSession, appointment_id: int
) -> Appointment | None:
    return await session.scalar(
        select(Appointment)
        .where(Appointment.id == appointment_id)
        .options(selectinload(Appointment.history))
        .execution_options(populate_existing=True)
    )


async def holding_appointments_of(session: AsyncSession, member_id: int) -> list[Appointment]:
    rows = await session.scalars(
        select(Appointment).where(
            Appointment.member_id == member_id, Appointment.status.in_(HOLDING)
        )
    )
    return list(rows)


async def appointments_of(session: AsyncSession, member_id: int) -> list[Appointment]:
    """Every appointment of the person, newest first."""
    rows = await session.scalars(
        select(Appointment)
        .where(Appointment.member_id == member_id)
        .order_by(Appointment.contract_start.desc(), Appointment.id.desc())
    )
    return list(rows)


async def appointments_with_member(
    session: AsyncSession, appointment_ids: Sequence[int]
) -> list[Appointment]:
    rows = await session.scalars(
        select(Appointment)
        .where(Appointment.id.in_(appointment_ids))
        .options(selectinload(Appointment.member))
    )
    return list(rows)


async def seat_holder(session: AsyncSession, seat_key: str) -> Appointment | None:
    return await session.scalar(select(Appointment).where(Appointment.seat_key == seat_key))


async def seats_taken(session: AsyncSession, seat_keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for condition in matching(session, Appointment.__table__.c.seat_key, list(seat_keys)):
        rows = await session.scalars(select(Appointment.seat_key).where(condition))
        found.update(row for row in rows if row is not None)
    return found


async def holding_at(
    session: AsyncSession, member_id: int, organisation_id: str, post: str
) -> Appointment | None:
    return await session.scalar(
        select(Appointment).where(
            Appointment.member_id == member_id,
            Appointment.organisation_id == organisation_id,
            Appointment.post == post,
            Appointment.status.in_(HOLDING),
        )
    )


def appointments_in(
    prefix: str,
    *,
    status: str | None = None,
    post: str | None = None,
    organisation_id: str | None = None,
    member_id: int | None = None,
) -> Select[Appointment]:
    statement = select(Appointment).where(Appointment.division_code.startswith(prefix))
    if status is not None:
        statement = statement.where(Appointment.status == status)
    if post is not None:
        statement = statement.where(Appointment.post == post)
    if organisation_id is not None:
        statement = statement.where(Appointment.organisation_id == organisation_id)
    if member_id is not None:
        statement = statement.where(Appointment.member_id == member_id)
    return statement


def appointments_with_members_in(prefix: str) -> Select[Appointment]:
    return appointments_in(prefix).options(selectinload(Appointment.member))


async def held_with_members(session: AsyncSession, prefix: str) -> list[Appointment]:
    rows = await session.scalars(
        appointments_with_members_in(prefix)
        .where(Appointment.status.in_(HOLDING))
        .order_by(Appointment.division_code, Appointment.id)
    )
    return list(rows)


def contracts_ending(prefix: str, first: date | None, last: date) -> Select[Appointment]:
    """Held posts whose contract ends by `last`; from `first` on, or also overdue ones."""
    statement = select(Appointment).where(
        Appointment.division_code.startswith(prefix),
        Appointment.status.in_(HOLDING),
        Appointment.contract_end <= last,
    )
    if first is not None:
        statement = statement.where(Appointment.contract_end >= first)
    return statement


def judged_non_compliant() -> ColumnElement[bool]:
    """canlian.common.rules.allowances.is_non_compliant as SQL: an active committee member of
    a village (a villagers' committee, last segment >= 200) paid below the minimum."""
    code = Appointment.division_code
    return and_(
        Appointment.post == allowances.JUDGED_POST,
        Appointment.status == allowances.JUDGED_STATUS,
        func.length(code) == 12,
        func.substr(code, 7, 3) != "000",
        func.substr(code, 10, 3) >= f"{allowances.COMMUNITY_SEGMENT_BELOW:03d}",
        Appointment.allowance_compliant.is_(False),
    )


def allowance_non_compliant(prefix: str) -> Select[Appointment]:
    return select(Appointment).where(
        Appointment.division_code.startswith(prefix), judged_non_compliant()
    )


async def committee_appointments_under(session: AsyncSession, prefix: str) -> list[Appointment]:
    """Committee-member appointments still held under a region: those a policy touches."""
    rows = await session.scalars(
        select(Appointment)
        .where(
            Appointment.division_code.startswith(prefix),
            Appointment.post == Post.COMMITTEE_MEMBER,
            Appointment.status.in_(HOLDING),
        )
        .options(selectinload(Appointment.member))
    )
    return list(rows)


async def held_posts(
    session: AsyncSession, member_ids: Sequence[int]
) -> dict[tuple[int, str, str], int]:
    """(member, organisation, post) -> appointment id, for every post the people hold now."""
    found: dict[tuple[int, str, str], int] = {}
    for condition in matching(session, Appointment.__table__.c.member_id, list(member_ids)):
        rows = await session.execute(
            select(
                Appointment.member_id, Appointment.organisation_id, Appointment.post, Appointment.id
            ).where(condition, Appointment.status.in_(HOLDING))
        )
        found.update(((row[0], row[1], row[2]), row[3]) for row in rows)
    return found


async def holding_appointments_at(session: AsyncSession, organisation_id: str) -> list[Appointment]:
    rows = await session.scalars(
        select(Appointment)
        .where(Appointment.organisation_id == organisation_id, Appointment.status.in_(HOLDING))
        .options(selectinload(Appointment.member))
    )
    return list(rows)


async def allowance_minimum(
    session: AsyncSession, division_code: str, post_level: str, *, lock: bool = False
) -> AllowanceMinimum | None:
    return await session.get(
        AllowanceMinimum,
        (division_code, post_level),
        with_for_update=lock,
        populate_existing=lock,
    )


async def allowance_minimums_for(
    session: AsyncSession, codes: Sequence[str], post_level: str
) -> dict[str, AllowanceMinimum]:
    rows = await session.scalars(
        select(AllowanceMinimum).where(
            AllowanceMinimum.division_code.in_(codes), AllowanceMinimum.post_level == post_level
        )
    )
    return {row.division_code: row for row in rows}


async def all_allowance_minimums(session: AsyncSession) -> list[AllowanceMinimum]:
    return list(await session.scalars(select(AllowanceMinimum)))


def allowance_minimums_in(prefix: str) -> Select[AllowanceMinimum]:
    return select(AllowanceMinimum).where(AllowanceMinimum.division_code.startswith(prefix))
