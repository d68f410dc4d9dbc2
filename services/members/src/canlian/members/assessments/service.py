"""Rules of the annual assessment: one per appointment and year, for a member in post that
year; the two scores weighted by the region's policy give the grade, and the grade decides the
appointment's next step in the same transaction (renewed, improvement plan, dismissed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.auth import Principal
from canlian.common.business_day import china_today
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.members import (
    AppointmentStatus,
    AssessmentDecided,
    AssessmentDecision,
    AssessmentGrade,
    MemberAssessed,
)
from canlian.common.runtime import ServiceRuntime
from canlian.members.appointments import service as appointments
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.problems import AppointmentEnded
from canlian.members.appointments.schemas import AppointmentUpdate, TransitionCreate
from canlian.members.appointments.state_machine import LEFT, STATUS_NAMES
from canlian.members.assessments import grading, repository
from canlian.members.assessments.models import Assessment
from canlian.members.assessments.problems import (
    AssessedYearNotBegun,
    AssessmentExists,
    NotInPostThatYear,
)
from canlian.members.assessments.schemas import AssessmentCreate
from canlian.members.policies import repository as policies_repository


async def get_assessment(
    session: AsyncSession, principal: Principal, assessment_id: int
) -> Assessment:
    assessment = await repository.assessment(session, assessment_id)
    if assessment is None:
        raise NotFound(what="考核 / assessment", key=assessment_id)
    if not principal.covers(assessment.division_code):
        raise OutsideScope(what="考核 / assessment")
    return assessment


def check_in_post(appointment: Appointment, year: int, today: date) -> None:
    """422 unless the appointment was held at some time in `year` (a year not begun yet is
    nobody's); 409 when it has ended since, for then nothing is left to decide."""
    if year > today.year:
        raise AssessedYearNotBegun(year=year, today=today.isoformat())
    first, last = date(year, 1, 1), date(year, 12, 31)
    left = appointment.status in LEFT
    if appointment.contract_start > last or (left and appointment.status_since < first):
        status = AppointmentStatus(appointment.status)
        raise NotInPostThatYear(
            appointment_id=appointment.id,
            year=year,
            contract_start=appointment.contract_start.isoformat(),
            contract_end=appointment.contract_end.isoformat() if appointment.contract_end else "-",
            status=status.value,
            status_zh=STATUS_NAMES[status],
            status_since=appointment.status_since.isoformat(),
        )
    if left:
        raise AppointmentEnded(
            since=appointment.status_since.isoformat(),
            status=appointment.status,
            status_zh=STATUS_NAMES[AppointmentStatus(appointment.status)],
        )


def renewed_end(contract_end: date | None, year: int) -> date | None:
    """考核合格连续使用: a renewed contract runs at least to the end of the year after the assessed
    one; an open-ended contract, or one already running longer, stays as it is (None)."""
    renewed = date(year + 1, 12, 31)
    if contract_end is None or contract_end >= renewed:
        return None
    return renewed


async def record_assessment(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    appointment_id: int,
    body: AssessmentCreate,
    precondition: Precondition,
) -> Assessment:
    appointment = await appointments.get_appointment(
        session, principal, appointment_id, for_update=True
    )
    principal.ensure_covers(appointment.division_code)
    precondition.check(appointment.version)
    today = china_today()
    check_in_post(appointment, body.year, today)
    existing = await repository.assessment_of_year(session, appointment.id, body.year)
    if existing is not None:
        raise AssessmentExists(
            appointment_id=appointment.id, year=body.year, assessment_id=existing.id
        )
    # The weight in force for the assessed year in the appointment's region.
    weight = (
        (await policies_repository.members_values(session))
        .effective(
            policy.ASSESSMENT_PERFORMANCE_WEIGHT, appointment.division_code, date(body.year, 12, 31)
        )
        .quantize(Decimal("0.01"))
    )
    combined = grading.combined_score(body.performance_score, body.evaluation_score, weight)
    grade = grading.grade_of(combined)
    decision = grading.decision_of(grade)
    contract_end_before = appointment.contract_end
    assessment = Assessment(
        appointment_id=appointment.id,
        member_id=appointment.member_id,
        division_code=appointment.division_code,
        year=body.year,
        performance_score=body.performance_score,
        evaluation_score=body.evaluation_score,
        grade=grade,
        performance_weight=weight,
        combined_score=combined,
        decision=decision,
        decided_on=today,
        contract_end_before=contract_end_before,
        remarks=body.remarks,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(assessment)
    await session.flush()
    await _apply(session, runtime, principal, appointment, assessment, precondition)
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
            grade=grade,
        ),
    )
    await runtime.outbox.add(session, decided_event(assessment))
    return assessment


async def _apply(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    appointment: Appointment,
    assessment: Assessment,
    precondition: Precondition,
) -> None:
    """The decision's effect on the appointment (a new version of it, announced as usual)."""
    if assessment.decision == AssessmentDecision.RENEW:
        end = renewed_end(appointment.contract_end, assessment.year)
        if end is not None:
            await appointments.update_appointment(
                session,
                runtime,
                principal,
                appointment.id,
                AppointmentUpdate(contract_end=end),
                precondition,
            )
            assessment.contract_end_after = end
    elif assessment.decision == AssessmentDecision.DISMISS:
        assert assessment.decided_on is not None
        await appointments.transition(
            session,
            runtime,
            principal,
            appointment.id,
            TransitionCreate(
                status=AppointmentStatus.DISMISSED,
                effective_on=max(assessment.decided_on, appointment.status_since),
                reason=f"{assessment.year} 年度考核不称职(综合得分 {assessment.combined_score})"
                f" / assessed incompetent for {assessment.year}",
            ),
            precondition,
        )


def decided_event(assessment: Assessment) -> AssessmentDecided:
    assert assessment.performance_weight is not None
    assert assessment.combined_score is not None
    assert assessment.decision is not None
    assert assessment.decided_on is not None
    return AssessmentDecided(
        assessment_id=str(assessment.id),
        version=1,
        member_id=str(assessment.member_id),
        appointment_id=str(assessment.appointment_id),
        division_code=assessment.division_code,
        year=assessment.year,
        performance_weight=assessment.performance_weight,
        combined_score=assessment.combined_score,
        grade=AssessmentGrade(assessment.grade),
        decision=AssessmentDecision(assessment.decision),
        decided_on=assessment.decided_on,
        contract_end_before=assessment.contract_end_before,
        contract_end_after=assessment.contract_end_after,
    )
