"""Visits due and overdue per county, township or village of a region."""

from __future__ import annotations

from datetime import timedelta

from canlian.common import divisions
from canlian.common.business_day import china_today
from canlian.needs.committee_members import repository as committee_members
from canlian.needs.context import Context
from canlian.needs.households import repository as households
from canlian.needs.visits.problems import ReportLevelTooCoarse
from canlian.needs.visits.schemas import (
    MemberVisitsDueReport,
    MemberVisitsDueRow,
    MyVisitsDue,
    ReportLevel,
    VisitsDueReport,
    VisitsDueRow,
)

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


async def visits_due_by_member(context: Context, division: str) -> MemberVisitsDueReport:
    """Each committee member holding a post in the region, with the households of the places
    they serve: scheduled, due soon, overdue. A household two members serve (a village's and
    its township's) counts for both."""
    context.principal.ensure_covers(division)
    today = china_today()
    region = divisions.prefix(division)
    per_village = await households.schedule_by_area(
        context.session, region, 12, today, today + timedelta(days=DUE_SOON_DAYS)
    )
    places: dict[str, set[str]] = {}
    for post in await committee_members.held_posts_within(context.session, region):
        places.setdefault(post.member_id, set()).update(post.served_divisions)
    rows = []
    for member_id, served in sorted(places.items()):
        scheduled = due_soon = overdue = 0
        for village, n, soon, late in per_village:
            if any(divisions.is_within(village, place) for place in served):
                scheduled, due_soon, overdue = scheduled + n, due_soon + soon, overdue + late
        rows.append(
            MemberVisitsDueRow(
                member_id=member_id,
                served_divisions=sorted(served),
                scheduled=scheduled,
                due_soon=due_soon,
                overdue=overdue,
            )
        )
    return MemberVisitsDueReport(division_code=division, as_of=today, rows=rows)


async def visits_due_of_member(context: Context, places: list[str]) -> MyVisitsDue:
    """The caller's own places (a committee member's token), within the token's region."""
    today = china_today()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    villages: dict[str, tuple[int, int, int]] = {}
    for place in places:
        for village, n, due_soon, late in await households.schedule_by_area(
            context.session, divisions.prefix(place), 12, today, soon
        ):
            if context.principal.covers(village):
                villages[village] = (n, due_soon, late)
    rows = []
    for place in places:
        within = [v for code, v in villages.items() if divisions.is_within(code, place)]
        rows.append(
            VisitsDueRow(
                division_code=place,
                scheduled=sum(v[0] for v in within),
                due_soon=sum(v[1] for v in within),
                overdue=sum(v[2] for v in within),
            )
        )
    return MyVisitsDue(
        member_id=context.principal.subject,
        as_of=today,
        served_divisions=places,
        scheduled=sum(v[0] for v in villages.values()),
        due_soon=sum(v[1] for v in villages.values()),
        overdue=sum(v[2] for v in villages.values()),
        rows=rows,
    )
