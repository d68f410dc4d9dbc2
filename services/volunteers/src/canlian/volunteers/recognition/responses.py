"""Trainings, honours and a volunteer's recognition as response bodies."""

from __future__ import annotations

from canlian.common.events.volunteers import TrainingKind
from canlian.volunteers.clock import hours_of
from canlian.volunteers.context import Context
from canlian.volunteers.recognition import repository
from canlian.volunteers.recognition.models import Honour, Training
from canlian.volunteers.recognition.schemas import (
    HonourLevel,
    HonourRead,
    Recognition,
    TrainingRead,
)
from canlian.volunteers.recognition.stars import effective_thresholds
from canlian.volunteers.volunteers.models import Volunteer

RECOGNITION_ITEMS = 50


def training_read(training: Training) -> TrainingRead:
    return TrainingRead(
        id=training.id,
        volunteer_id=training.volunteer_id,
        kind=TrainingKind(training.kind),
        title=training.title,
        provider=training.provider,
        hours=training.hours,
        completed_on=training.completed_on,
        certificate_no=training.certificate_no,
    )


def honour_read(honour: Honour) -> HonourRead:
    return HonourRead(
        id=honour.id,
        volunteer_id=honour.volunteer_id,
        title=honour.title,
        level=HonourLevel(honour.level),
        awarded_by=honour.awarded_by,
        awarded_on=honour.awarded_on,
    )


async def recognition_of(context: Context, volunteer: Volunteer) -> Recognition:
    thresholds, _ = await effective_thresholds(context.session, volunteer.division_code)
    hours = volunteer.confirmed_minutes / 60
    upcoming = [
        (level, threshold)
        for level, threshold in enumerate(thresholds, start=1)
        if level > volunteer.star_level
    ]
    trainings = await repository.trainings_of(context.session, volunteer.id, RECOGNITION_ITEMS)
    honours = await repository.honours_of(context.session, volunteer.id, RECOGNITION_ITEMS)
    return Recognition(
        star_level=volunteer.star_level,
        confirmed_hours=hours_of(volunteer.confirmed_minutes),
        person_times=volunteer.person_times,
        next_star_level=upcoming[0][0] if upcoming else None,
        hours_to_next_star=round(max(upcoming[0][1] - hours, 0), 2) if upcoming else None,
        thresholds_hours=thresholds,
        trainings=[training_read(item) for item in trainings],
        honours=[honour_read(item) for item in honours],
    )
