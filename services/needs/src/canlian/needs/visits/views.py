"""Visit bodies built from rows."""

from __future__ import annotations

from canlian.common.events.needs import ServiceKind
from canlian.needs.visits.models import Visit
from canlian.needs.visits.schemas import NeedFound, VisitRead


def visit_read(row: Visit) -> VisitRead:
    return VisitRead(
        id=row.id,
        client_id=row.client_id,
        household_id=row.household_id,
        member_id=row.member_id,
        recorded_by=row.recorded_by,
        division_code=row.division_code,
        visited_on=row.visited_on,
        met=row.met,
        findings=row.findings,
        needs=[
            NeedFound(category=ServiceKind(need["category"]), description=need["description"])
            for need in row.needs_found
        ],
        photos=list(row.photos),
        due_on=row.due_on,
        on_schedule=row.on_schedule,
        need_ids=[need["need_id"] for need in row.needs_found if "need_id" in need],
    )
