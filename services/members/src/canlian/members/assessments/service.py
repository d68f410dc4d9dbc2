"""Rules of the annual assessment: one per appointment and year, announced when recorded."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.events.members import MemberAssessed
from canlian.common.runtime import ServiceRuntime
from canlian.members.appointments.service import get_appointment
from canlian.members.assessments import repository
from canlian.members.assessments.models import Assessment
from canlian.members.assessments.problems import AssessmentExists
from canlian.members.assessments.schemas import AssessmentCreate


async def record_assessment(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    appointment_id: int,
    body: AssessmentCreate,
) -> Assessment:
    appointment = await get_appointment(session, principal, appointment_id)
    principal.ensure_covers(appointment.division_code)
    existing = await repository.assessment_of_year(session, appointment.id, body.year)
    if existing is not None:
        raise AssessmentExists(
            appointment_id=appointment.id, year=body.year, assessment_id=existing.id
        )
    assessment = Assessment(
        appointment_id=appointment.id,
        member_id=appointment.member_id,
        division_code=appointment.division_code,
        year=body.year,
        performance_score=body.performance_score,
        evaluation_score=body.evaluation_score,
        grade=body.grade,
        remarks=body.remarks,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(assessment)
    await session.flush()
    await runtime.outbox.add(
        session,
        MemberAssessed(
            assessment_id=str(assessment.id),
            version=1,
            member_id=str(assessment.member_id),
            appointment_id=str(assessment.appointment_id),
            division_code=assessment.division_code,
            year=assessment.year,
            performance_score=assessment.performance_score,
            evaluation_score=assessment.evaluation_score,
            grade=body.grade,
        ),
    )
    return assessment
