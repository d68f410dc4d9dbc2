"""Submitting service records, offline batches too: check-out after check-in, at most 24
hours, not in the future, not too old, for a need only when accepted, never overlapping
another record of the volunteer; a resent record is a duplicate, never counted twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from canlian.common import divisions
from canlian.common.db.metadata import utcnow
from canlian.common.errors import ProblemError
from canlian.common.events.volunteers import Skill
from canlian.common.i18n import Language
from canlian.volunteers.clock import CHINA
from canlian.volunteers.context import Context
from canlian.volunteers.db import new_id
from canlian.volunteers.needs import repository as needs_repository
from canlian.volunteers.needs.models import Need
from canlian.volunteers.needs.schemas import AssignmentStatus
from canlian.volunteers.service_records import repository
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.service_records.problems import (
    CheckOutBeforeCheckIn,
    ClientIdReused,
    NeedNotAccepted,
    RecordInFuture,
    RecordOutsideUnit,
    RecordOverlaps,
    RecordTooLong,
    RecordTooOld,
    ServiceKindRequired,
)
from canlian.volunteers.service_records.schemas import (
    BatchItemResult,
    BatchOutcome,
    BatchResult,
    RecordStatus,
    RecordSubmission,
    RejectionReason,
)
from canlian.volunteers.stations.repository import get_team
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.service import ensure_active

MAX_RECORD = timedelta(hours=24)


class _Rejected(Exception):
    def __init__(self, problem: ProblemError) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _same_record(record: ServiceRecord, item: RecordSubmission) -> bool:
    return (
        record.checked_in_at == item.checked_in_at
        and record.checked_out_at == item.checked_out_at
        and record.person_times == item.person_times
        and record.need_id == item.need_id
    )


async def submit_batch(
    context: Context, volunteer: Volunteer, items: Sequence[RecordSubmission], language: Language
) -> BatchResult:
    """Each record is accepted, a duplicate of one sent before (same client id), or rejected
    with a reason; a rejected record writes nothing."""
    ensure_active(volunteer)
    now = utcnow()
    results: list[BatchItemResult] = []
    # One look-up for the whole batch: a retried batch is mostly duplicates.
    known = await repository.records_by_client_ids(
        context.session, volunteer.id, {item.client_id for item in items}
    )
    # And one for the records the new ones could overlap; new ones join the list as they
    # are accepted (the volunteer's row lock keeps other submissions out meanwhile).
    plausible = [
        item
        for item in items
        if item.client_id not in known and _time_problem(context, item, now) is None
    ]
    taken = (
        await repository.counted_records_between(
            context.session,
            volunteer.id,
            min(item.checked_in_at for item in plausible),
            max(item.checked_out_at for item in plausible),
        )
        if plausible
        else []
    )
    for item in items:
        existing = known.get(item.client_id)
        if existing is not None:
            if _same_record(existing, item):
                results.append(
                    BatchItemResult(
                        client_id=item.client_id,
                        outcome=BatchOutcome.DUPLICATE,
                        record_id=existing.id,
                        status=RecordStatus(existing.status),
                    )
                )
                continue
            problem: ProblemError = ClientIdReused(client_id=item.client_id)
            results.append(_rejection(item.client_id, problem, language))
            continue
        try:
            record = await _new_record(context, volunteer, item, now, taken)
        except _Rejected as rejected:
            results.append(_rejection(item.client_id, rejected.problem, language))
            continue
        known[record.client_id] = record
        taken.append(record)
        known[record.client_id] = record
        results.append(
            BatchItemResult(
                client_id=item.client_id,
                outcome=BatchOutcome.ACCEPTED,
                record_id=record.id,
                status=RecordStatus.PENDING,
            )
        )
    await context.session.flush()
    return BatchResult(
        accepted=sum(result.outcome == BatchOutcome.ACCEPTED for result in results),
        duplicates=sum(result.outcome == BatchOutcome.DUPLICATE for result in results),
        rejected=sum(result.outcome == BatchOutcome.REJECTED for result in results),
        results=results,
    )


def _rejection(client_id: str, problem: ProblemError, language: Language) -> BatchItemResult:
    return BatchItemResult(
        client_id=client_id,
        outcome=BatchOutcome.REJECTED,
        reason=reason_of(problem, language),
    )


def _time_problem(context: Context, item: RecordSubmission, now: datetime) -> ProblemError | None:
    checked_in, checked_out = item.checked_in_at, item.checked_out_at
    if checked_out <= checked_in:
        return CheckOutBeforeCheckIn()
    if checked_out - checked_in > MAX_RECORD:
        return RecordTooLong()
    if checked_out > now + timedelta(minutes=context.settings.clock_skew_minutes):
        return RecordInFuture()
    if checked_in < now - timedelta(days=context.settings.record_max_age_days):
        return RecordTooOld(days=context.settings.record_max_age_days)
    return None


async def _new_record(
    context: Context,
    volunteer: Volunteer,
    item: RecordSubmission,
    now: datetime,
    taken: Sequence[ServiceRecord],
) -> ServiceRecord:
    problem = _time_problem(context, item, now)
    if problem is not None:
        raise _Rejected(problem)
    checked_in, checked_out = item.checked_in_at, item.checked_out_at
    need = None
    if item.need_id is not None:
        assignment = await needs_repository.get_assignment(
            context.session, item.need_id, volunteer.id
        )
        if assignment is None or assignment.status != AssignmentStatus.ACCEPTED:
            raise _Rejected(NeedNotAccepted(need_id=item.need_id))
        need = await needs_repository.get_need(context.session, item.need_id)
    kind = item.service_kind or (Skill(need.kind) if need else None)
    if kind is None:
        raise _Rejected(ServiceKindRequired())
    if item.division_code is not None:
        await _ensure_place_within_unit(context, volunteer, item.division_code, need)
    clash = min(
        (
            record
            for record in taken
            if record.checked_in_at < checked_out and record.checked_out_at > checked_in
        ),
        key=lambda record: record.checked_in_at,
        default=None,
    )
    if clash is not None:
        raise _Rejected(
            RecordOverlaps(
                client_id=clash.client_id,
                checked_in_at=clash.checked_in_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
            )
        )
    minutes = int((checked_out - checked_in).total_seconds() // 60)
    served_on = checked_in.astimezone(CHINA).date()
    record = ServiceRecord(
        id=new_id(),
        volunteer_id=volunteer.id,
        client_id=item.client_id,
        need_id=need.id if need else None,
        team_id=volunteer.team_id,
        division_code=item.division_code
        or (need.division_code if need else volunteer.division_code),
        service_kind=kind.value,
        checked_in_at=checked_in,
        checked_out_at=checked_out,
        served_on=served_on,
        served_month=served_on.strftime("%Y-%m"),
        minutes=max(minutes, 1),
        person_times=item.person_times,
        note=item.note,
        status=RecordStatus.PENDING.value,
        rejection_reason=None,
        reviewed_by=None,
        reviewed_at=None,
        submitted_at=now,
        version=1,
    )
    context.session.add(record)
    return record


async def _ensure_place_within_unit(
    context: Context, volunteer: Volunteer, place: str, need: Need | None
) -> None:
    """The place of service lies in the need's division, else in the team's, else in the
    volunteer's home province: a team's leader confirms what was done where the team works."""
    if need is not None:
        unit, unit_en, unit_division = "需求", "need", need.division_code
    else:
        team = await get_team(context.session, volunteer.team_id) if volunteer.team_id else None
        if team is not None:
            unit, unit_en, unit_division = "服务队", "team", team.division_code
        else:
            home = volunteer.division_code
            if divisions.level_of(home) > divisions.DivisionLevel.PROVINCE:
                home = divisions.ancestor_at(home, divisions.DivisionLevel.PROVINCE)
            unit, unit_en, unit_division = "志愿者所在省", "volunteer's province", home
    if not divisions.is_within(place, unit_division):
        raise _Rejected(
            RecordOutsideUnit(
                division=place, unit=unit, unit_en=unit_en, unit_division=unit_division
            )
        )


def reason_of(problem: ProblemError, language: Language) -> RejectionReason:
    """Why a record was refused, in the caller's language."""
    return RejectionReason(
        code=problem.code,
        message=problem.render_detail(language) or problem.title.render(language),
    )
