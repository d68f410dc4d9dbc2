"""What the upper level sees: per region below, not submitted / waiting / returned / accepted,
with the deadline that applies and whether it has passed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.metrics.days import BEIJING
from canlian.metrics.plans.service import get_plan
from canlian.metrics.regions.service import child_regions, descendant_regions, get_region
from canlian.metrics.submissions import repository, schemas
from canlian.metrics.submissions.service import ensure_year_in_plan

_DONE = (schemas.ChildStatus.WAITING, schemas.ChildStatus.ACCEPTED)


async def overview(
    session: AsyncSession,
    principal: Principal,
    code: str,
    *,
    plan_code: str,
    year: int,
    level: int | None,
) -> schemas.SubmissionOverview:
    region = await get_region(session, principal, code)
    plan = await get_plan(session, principal, plan_code)
    ensure_year_in_plan(plan, year)
    below = (
        await child_regions(session, code)
        if level is None
        else await descendant_regions(session, code, level)
    )
    codes = [child.code for child in below]
    latest = await repository.latest_of(session, plan.code, codes, year)
    ancestors = sorted({a for c in codes for a in divisions.lineage(c)[1:]})
    deadlines = await repository.deadlines(session, plan.code, ancestors, year)
    today = datetime.now(BEIJING).date()
    rows: list[schemas.ChildSubmission] = []
    for child in below:
        submission = latest.get(child.code)
        status = (
            schemas.ChildStatus(submission.status)
            if submission is not None
            else schemas.ChildStatus.NOT_SUBMITTED
        )
        # The deadline set nearest the region: its parent's, else one set further up.
        due = next(
            (deadlines[a].due for a in divisions.lineage(child.code)[1:] if a in deadlines),
            None,
        )
        rows.append(
            schemas.ChildSubmission(
                region=child,
                status=status,
                submission_id=submission.id if submission is not None else None,
                version=submission.version if submission is not None else None,
                submitted_at=submission.submitted_at if submission is not None else None,
                review_reason=submission.review_reason if submission is not None else None,
                deadline=due,
                overdue=due is not None and today > due and status not in _DONE,
            )
        )
    counts = {status: 0 for status in schemas.ChildStatus}
    for row in rows:
        counts[row.status] += 1
    return schemas.SubmissionOverview(
        region=region, plan=plan.code, year=year, counts=counts, regions=rows
    )
