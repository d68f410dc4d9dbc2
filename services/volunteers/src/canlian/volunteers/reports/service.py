"""Officials' questions: volunteers registered per child division and star level, and
confirmed service (records, distinct volunteers, hours, person-times) per child division
and month in a period."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message
from canlian.volunteers.clock import hours_of
from canlian.volunteers.reports import repository
from canlian.volunteers.reports.schemas import (
    ServiceReport,
    ServiceTotals,
    VolunteerCounts,
    VolunteerReport,
)


class PeriodInvalid(InvalidInput):
    code = "period-invalid"
    title = Message(zh="统计期间无效", en="Invalid period")
    detail = Message(
        zh="起始日期不能晚于结束日期,期间不超过6年", en="from must not be after to; at most 6 years"
    )


def check_period(served_from: date, served_to: date) -> None:
    if served_from > served_to or (served_to - served_from).days > 6 * 366:
        raise PeriodInvalid()


async def volunteer_report(session: AsyncSession, code: str) -> VolunteerReport:
    rows = await repository.volunteer_counts(session, code)
    children: dict[str, VolunteerCounts] = {}
    total = _empty_counts(code)
    for row in rows:
        child_code = row.child.ljust(12, "0")
        counts = children.setdefault(child_code, _empty_counts(child_code))
        for target in (counts, total):
            target.registered += row.registered
            target.sign_language += row.sign_language
            target.sign_language_trained += row.trained
            target.left += row.left
            target.by_star_level[row.star_level] += row.registered
    return VolunteerReport(
        division_code=code, total=total, rows=[children[key] for key in sorted(children)]
    )


def _empty_counts(code: str) -> VolunteerCounts:
    return VolunteerCounts(
        division_code=code,
        registered=0,
        sign_language=0,
        sign_language_trained=0,
        left=0,
        by_star_level=[0] * 6,
    )


async def service_report(
    session: AsyncSession, code: str, served_from: date, served_to: date, *, by_month: bool
) -> ServiceReport:
    check_period(served_from, served_to)
    rows, total = await repository.service_totals(
        session, code, served_from, served_to, by_month=by_month
    )
    return ServiceReport(
        division_code=code,
        served_from=served_from,
        served_to=served_to,
        total=_totals(code, total),
        rows=[
            _totals(row.child.ljust(12, "0"), row, getattr(row, "served_month", None))
            for row in rows
        ],
    )


def _totals(code: str, row: object, month: str | None = None) -> ServiceTotals:
    return ServiceTotals(
        division_code=code,
        month=month,
        records=int(getattr(row, "records", 0)),
        volunteers=int(getattr(row, "volunteers", 0)),
        hours=hours_of(int(getattr(row, "minutes", 0))),
        person_times=int(getattr(row, "person_times", 0)),
    )
