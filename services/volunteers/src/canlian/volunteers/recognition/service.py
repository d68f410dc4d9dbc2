"""Trainings (a sign-language training makes a volunteer trained) and honours."""

from __future__ import annotations

from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.events.volunteers import VolunteerTrained
from canlian.volunteers.clock import today_in_china
from canlian.volunteers.context import Context
from canlian.volunteers.db import new_id
from canlian.volunteers.recognition.models import Honour, Training
from canlian.volunteers.recognition.problems import DateInFuture
from canlian.volunteers.recognition.schemas import HonourCreate, TrainingCreate
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.service import snapshot, touch


async def record_training(
    context: Context, principal: Principal, volunteer: Volunteer, body: TrainingCreate
) -> Training:
    principal.ensure_covers(volunteer.division_code)
    if body.completed_on > today_in_china():
        raise DateInFuture(what="结业日期 / completed_on")
    training = Training(
        id=new_id(),
        volunteer_id=volunteer.id,
        kind=body.kind.value,
        title=body.title,
        provider=body.provider,
        hours=body.hours,
        completed_on=body.completed_on,
        certificate_no=body.certificate_no,
        recorded_by=principal.subject,
        created_at=utcnow(),
    )
    context.session.add(training)
    if body.kind == "sign_language":
        volunteer.sign_language_trained = True
    touch(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session,
        VolunteerTrained(
            **snapshot(volunteer).model_dump(),
            training_id=training.id,
            training_kind=body.kind,
            training_hours=float(body.hours),
            completed_on=body.completed_on,
        ),
    )
    return training


async def record_honour(
    context: Context, principal: Principal, volunteer: Volunteer, body: HonourCreate
) -> Honour:
    principal.ensure_covers(volunteer.division_code)
    if body.awarded_on > today_in_china():
        raise DateInFuture(what="授予日期 / awarded_on")
    honour = Honour(
        id=new_id(),
        volunteer_id=volunteer.id,
        title=body.title,
        level=body.level.value,
        awarded_by=body.awarded_by,
        awarded_on=body.awarded_on,
        recorded_by=principal.subject,
        created_at=utcnow(),
    )
    context.session.add(honour)
    await context.session.flush()
    return honour
