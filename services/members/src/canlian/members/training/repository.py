"""Queries of training records and coverage. Takes a session; never commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.members.appointments.models import Appointment
from canlian.members.appointments.state_machine import HOLDING
from canlian.members.archive.models import Member
from canlian.members.training.models import Training


def trainings_in(prefix: str) -> Select[Training]:
    return select(Training).where(Training.division_code.startswith(prefix))


def trainings_of(member_id: int) -> Select[Training]:
    return select(Training).where(Training.member_id == member_id)


def _holds_a_post() -> Any:
    return exists().where(Appointment.member_id == Member.id, Appointment.status.in_(HOLDING))


def _trained_between(first: date, last: date) -> Any:
    return exists().where(
        Training.member_id == Member.id, Training.held_on >= first, Training.held_on <= last
    )


def untrained(prefix: str, first: date, last: date) -> Select[Member]:
    """People holding a post with no training in the period (轮训 not yet reached)."""
    return select(Member).where(
        Member.division_code.startswith(prefix),
        _holds_a_post(),
        ~_trained_between(first, last),
    )


async def training_coverage(
    session: AsyncSession, prefix: str, first: date, last: date
) -> tuple[int, int, int]:
    """(people holding a post, of whom trained in the period, training person-times)."""
    row = (
        await session.execute(
            select(func.count(), func.count().filter(_trained_between(first, last))).where(
                Member.division_code.startswith(prefix), _holds_a_post()
            )
        )
    ).one()
    person_times = await session.scalar(
        select(func.count()).where(
            Training.division_code.startswith(prefix),
            Training.held_on >= first,
            Training.held_on <= last,
        )
    )
    return int(row[0]), int(row[1]), int(person_times or 0)
