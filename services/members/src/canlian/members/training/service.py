"""Rules of training records: recorded once held (not in the future), announced, never changed;
the yearly rotation and education reports over them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions, policy
from canlian.common.auth import Principal
from canlian.common.business_day import back_dated
from canlian.common.db.metadata import utcnow
from canlian.common.divisions import DivisionLevel
from canlian.common.events.members import MemberTrained
from canlian.common.runtime import ServiceRuntime
from canlian.members.archive.service import get_member
from canlian.members.clock import today_in_china
from canlian.members.policies.repository import members_values
from canlian.members.training import repository, rotation
from canlian.members.training.models import Training
from canlian.members.training.plan_periods import plan_period
from canlian.members.training.problems import TrainingInFuture
from canlian.members.training.schemas import (
    EducationReport,
    EducationRow,
    RotationReport,
    RotationRow,
    TrainingCreate,
)


async def record_training(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    member_id: int,
    body: TrainingCreate,
    *,
    today: date | None = None,
) -> Training:
    member = await get_member(session, principal, member_id)
    principal.ensure_covers(member.division_code)
    if body.held_on > (today or today_in_china()):
        raise TrainingInFuture(held_on=body.held_on.isoformat())
    training = Training(
        member_id=member.id,
        division_code=member.division_code,
        course=body.course.strip(),
        hours=body.hours,
        held_on=body.held_on,
        organiser=body.organiser.strip(),
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(training)
    await session.flush()
    await runtime.outbox.add(session, training_event(training))
    return training


def training_event(training: Training) -> MemberTrained:
    return MemberTrained(
        training_id=str(training.id),
        version=1,  # training records are never changed
        member_id=str(training.member_id),
        division_code=training.division_code,
        held_on=training.held_on,
        hours=training.hours,
        plan_period_start=plan_period(training.held_on).start.year,
        effective_on=back_dated(training.held_on),  # recorded later, counted on its day
    )


def _row(code: str, cadres: int, trained: int) -> RotationRow:
    return RotationRow(
        division_code=code,
        cadres=cadres,
        trained=trained,
        overdue=cadres - trained,
        coverage=rotation.share(trained, cadres),
    )


async def rotation_report(session: AsyncSession, region: str, on: date) -> RotationReport:
    """Township cadres' yearly rotation in the region: per township, per county, in total."""
    first, last = rotation.rotation_year(on)
    townships = await repository.rotation_by_township(
        session, divisions.prefix(region), first, last
    )
    counties: dict[str, tuple[int, int]] = {}
    for code, cadres, trained in townships:
        county = divisions.ancestor_at(code, DivisionLevel.COUNTY)
        held = counties.get(county, (0, 0))
        counties[county] = (held[0] + cadres, held[1] + trained)
    return RotationReport(
        region=region,
        year=on.year,
        as_of=on,
        seed=rotation.ROTATION_SEED,
        items=[_row(code, cadres, trained) for code, cadres, trained in townships],
        by_county=[_row(code, *counts) for code, counts in sorted(counties.items())],
        total=_row(region, sum(row[1] for row in townships), sum(row[2] for row in townships)),
    )


async def education_report(session: AsyncSession, region: str, on: date) -> EducationReport:
    """County and township cadres' share with college education or above against the goals
    in force for the region."""
    values = await members_values(session)
    items = []
    for level, parameter in rotation.GOALS.items():
        cadres, college = await repository.education_of_cadres(
            session, divisions.prefix(region), level, rotation.COLLEGE_OR_ABOVE
        )
        share = rotation.share(college, cadres)
        goal = float(values.effective(parameter, region, on)) / 100
        items.append(
            EducationRow(
                level=rotation.LEVEL_NAMES[level],
                cadres=cadres,
                college_or_above=college,
                share=share,
                goal=goal,
                goal_parameter=parameter.name,
                met=cadres > 0 and share >= goal,
            )
        )
    return EducationReport(region=region, as_of=on, seed=policy.EDUCATION_SEED, items=items)
