"""Visit bodies built from rows."""

from __future__ import annotations

from canlian.needs.visits.models import Visit
from canlian.needs.visits.schemas import NeedFound, VisitRead


def visit_read(row: Visit, need_ids: list[str] | None = None) -> VisitRead:
    return VisitRead(
        id=row.id,
        client_id=row.client_id,
        household_id=row.household_id,
        member_id=row.member_id,
        division_code=row.division_code,
        visited_on=row.visited_on,
        met=row.met,
        findings=row.findings,
        needs=[NeedFound.model_validate(need) for need in row.needs_found],
        photos=list(row.photos),
        due_on=row.due_on,
        on_schedule=row.on_schedule,
        need_ids=need_ids or [],
    )
