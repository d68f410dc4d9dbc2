"""An application as the API shows it, with the applicant's name masked and the actions
allowed now."""

from __future__ import annotations

from canlian.cards.applications.models import Application
from canlian.cards.applications.schemas import ApplicationRead
from canlian.cards.applications.state_machine import allowed_application_actions
from canlian.cards.context import Context
from canlian.cards.persons.models import Person
from canlian.cards.persons.service import holders_of, masked
from canlian.common.events.cards import (
    ApplicationStatus,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.personal_data import PersonalDataProtector


def application_view(
    pii: PersonalDataProtector, application: Application, person: Person
) -> ApplicationRead:
    return ApplicationRead(
        id=application.id,
        person_id=application.person_id,
        applicant_name_masked=masked(pii, person).name,
        division_code=application.division_code,
        status=ApplicationStatus(application.status),
        allowed_actions=allowed_application_actions(application.status),
        applied_on=application.applied_on,
        home_visit=application.home_visit,
        poor=application.poor,
        fee_waived=application.fee_waived,
        note=application.note,
        institution_id=application.institution_id,
        institution=application.institution,
        assessor=application.assessor,
        assessed_on=application.assessed_on,
        category=DisabilityCategory(application.category) if application.category else None,
        grade=DisabilityGrade(application.grade) if application.grade else None,
        reviewed_on=application.reviewed_on,
        reviewer=application.reviewer,
        rejection_reason=application.rejection_reason,
        card_id=application.card_id,
        version=application.version,
    )


async def application_read(ctx: Context, application: Application) -> ApplicationRead:
    persons = await holders_of(ctx.session, [application])
    return application_view(ctx.pii, application, persons[application.person_id])
