"""An application as its events carry it (and as the reconciliation endpoint shows it)."""

from __future__ import annotations

from typing import Any

from canlian.cards.applications.models import Application
from canlian.common.events.cards import (
    ApplicationSnapshot,
    ApplicationStatus,
    DisabilityCategory,
    DisabilityGrade,
)


def application_snapshot(application: Application) -> dict[str, Any]:
    return ApplicationSnapshot(
        application_id=application.id,
        person_id=application.person_id,
        version=application.version,
        division_code=application.division_code,
        status=ApplicationStatus(application.status),
        applied_on=application.applied_on,
        home_visit=application.home_visit,
        poor=application.poor,
        fee_waived=application.fee_waived,
        category=DisabilityCategory(application.category) if application.category else None,
        grade=DisabilityGrade(application.grade) if application.grade else None,
        assessed_on=application.assessed_on,
        card_id=application.card_id,
    ).model_dump()
