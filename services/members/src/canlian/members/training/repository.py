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


def _at_level(level: int) -> Any:
    """A member's archive division at the level (county 3, township 4), from the code's
    zero padding as `divisions.level_of` reads it."""
    code = Member.division_code
    if level == 3:
        return (func.substr(code, 7, 6) == "000000") & (func.substr(code, 5, 2) != "00")
    return (func.substr(code, 10, 3) == "000") & (func.substr(code, 7, 3) != "000")


def overdue_township_cadres(prefix: str, first: date, last: date) -> Select[Member]:
    """Township cadres holding a post with no training yet in the year (每年轮训一次)."""
    return select(Member).where(
        Member.division_code.startswith(prefix),
        _at_level(4),
        _holds_a_post(),
        ~_trained_between(first, last),
    )


async def rotation_by_township(
    session: AsyncSession, prefix: str, first: date, last: date
) -> list[tuple[str, int, int]]:
    """(township, township cadres holding a post, of whom trained in the year) per township."""
    rows = await session.execute(
        select(
            Member.division_code,
            func.count(),
            func.count().filter(_trained_between(first, last)),
        )
        .where(Member.division_code.startswith(prefix), _at_level(4), _holds_a_post())
        .group_by(Member.division_code)
        .order_by(Member.division_code)
    )
    return [(str(code), int(cadres), int(trained)) for code, cadres, trained in rows.all()]


async def education_of_cadres(
    session: AsyncSession, prefix: str, level: int, college: tuple[str, ...]
) -> tuple[int, int]:
    """(cadres holding a post at the level, of whom with college education or above)."""
    row = (
        await session.execute(
            select(func.count(), func.count().filter(Member.education.in_(college))).where(
                Member.division_code.startswith(prefix), _at_level(level), _holds_a_post()
            )
        )
    ).one()
    return int(row[0]), int(row[1])
