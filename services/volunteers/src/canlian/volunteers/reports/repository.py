"""The reports' aggregate queries. Functions take the request's session and never commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.repository import ACTIVE, LEFT, has_skill

# Significant digits of each division level: nation, province, city, county, township, village.
_LEVEL_DIGITS = (0, 2, 4, 6, 9, 12)


def child_digits(code: str) -> int:
    """How many leading digits name a child of `code` (its own digits for a village)."""
    level = divisions.level_of(code)
    return _LEVEL_DIGITS[min(level + 1, 5)]


async def volunteer_counts(session: AsyncSession, code: str) -> list[Any]:
    """Per child division and star level: active, sign-language, trained and left counts."""
    digits = child_digits(code)
    child = func.substr(Volunteer.division_code, 1, digits).label("child")
    active = Volunteer.status == ACTIVE
    statement = (
        select(
            child,
            Volunteer.star_level,
            func.sum(case((active, 1), else_=0)).label("registered"),
            func.sum(case((and_(active, has_skill("sign_language")), 1), else_=0)).label(
                "sign_language"
            ),
            func.sum(
                case((and_(active, Volunteer.sign_language_trained.is_(True)), 1), else_=0)
            ).label("trained"),
            func.sum(case((Volunteer.status == LEFT, 1), else_=0)).label("left"),
        )
        .where(Volunteer.division_code.startswith(divisions.prefix(code)))
        .group_by(child, Volunteer.star_level)
    )
    return list((await session.execute(statement)).all())


async def service_totals(
    session: AsyncSession, code: str, served_from: date, served_to: date, *, by_month: bool
) -> tuple[list[Any], Any]:
    """Confirmed records per child division (and month) in the period, and the whole
    region's totals (distinct volunteers do not add up across rows, so the total is its own
    query)."""
    digits = child_digits(code)
    child = func.substr(ServiceRecord.division_code, 1, digits).label("child")
    in_period: Select[Any] = select().where(
        ServiceRecord.status == "confirmed",
        ServiceRecord.division_code.startswith(divisions.prefix(code)),
        ServiceRecord.served_on >= served_from,
        ServiceRecord.served_on <= served_to,
    )
    columns = (
        func.count().label("records"),
        func.count(func.distinct(ServiceRecord.volunteer_id)).label("volunteers"),
        func.coalesce(func.sum(ServiceRecord.minutes), 0).label("minutes"),
        func.coalesce(func.sum(ServiceRecord.person_times), 0).label("person_times"),
    )
    keys: list[Any] = [child, ServiceRecord.served_month] if by_month else [child]
    per_row = in_period.add_columns(*keys, *columns).group_by(*keys).order_by(*keys)
    total = in_period.add_columns(*columns)
    rows = list((await session.execute(per_row)).all())
    return rows, (await session.execute(total)).one()
