"""Visits due and overdue per county, township or village of a region."""

from __future__ import annotations

from datetime import timedelta

from canlian.common import divisions
from canlian.common.business_day import china_today
from canlian.needs.context import Context
from canlian.needs.households import repository as households
from canlian.needs.visits.problems import ReportLevelTooCoarse
from canlian.needs.visits.schemas import ReportLevel, VisitsDueReport, VisitsDueRow

DUE_SOON_DAYS = 7
_LEVELS = {
    ReportLevel.COUNTY: divisions.DivisionLevel.COUNTY,
    ReportLevel.TOWNSHIP: divisions.DivisionLevel.TOWNSHIP,
    ReportLevel.VILLAGE: divisions.DivisionLevel.VILLAGE,
}
_PREFIX_LENGTH = {
    divisions.DivisionLevel.COUNTY: 6,
    divisions.DivisionLevel.TOWNSHIP: 9,
    divisions.DivisionLevel.VILLAGE: 12,
}


async def visits_due(context: Context, division: str, level: ReportLevel) -> VisitsDueReport:
    context.principal.ensure_covers(division)
    wanted = _LEVELS[level]
    if divisions.level_of(division) > wanted:
        raise ReportLevelTooCoarse(division_code=division, level=level.value)
    today = china_today()
    length = _PREFIX_LENGTH[wanted]
    rows = await households.schedule_by_area(
        context.session,
        divisions.prefix(division),
        length,
        today,
        today + timedelta(days=DUE_SOON_DAYS),
    )
    return VisitsDueReport(
        division_code=division,
        level=level,
        as_of=today,
        rows=[
            VisitsDueRow(
                division_code=area.ljust(12, "0"), scheduled=n, due_soon=soon, overdue=late
            )
            for area, n, soon, late in rows
        ],
    )
