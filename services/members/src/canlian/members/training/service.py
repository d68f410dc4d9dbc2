"""Rules of training records: recorded once held (not in the future), announced, never changed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.business_day import back_dated
from canlian.common.db.metadata import utcnow
from canlian.common.events.members import MemberTrained
from canlian.common.runtime import ServiceRuntime
from canlian.members.archive.service import get_member
from canlian.members.clock import today_in_china
from canlian.members.training.models import Training
from canlian.members.training.plan_periods import plan_period
from canlian.members.training.problems import TrainingInFuture
from canlian.members.training.schemas import TrainingCreate


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
