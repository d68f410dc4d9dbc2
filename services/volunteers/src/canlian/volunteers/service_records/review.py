"""Reviewing service records: the leader of the record's team or an official whose region
covers the place of service confirms or rejects, never the volunteer themselves; only
confirmed records count toward hours, person-times and stars."""

from __future__ import annotations

from collections.abc import Sequence

from canlian.common import divisions
from canlian.common.auth import ADMIN, OFFICIAL, Principal
from canlian.common.concurrency import UNCONDITIONAL, Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope, ProblemError
from canlian.common.i18n import Language
from canlian.volunteers.context import Context
from canlian.volunteers.needs import referrals
from canlian.volunteers.recognition.stars import recognise
from canlian.volunteers.service_records import repository
from canlian.volunteers.service_records.events import record_snapshot
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.service_records.problems import (
    CannotConfirmOwnRecord,
    RecordAlreadyReviewed,
    RecordOutsideTeam,
    RejectionReasonRequired,
)
from canlian.volunteers.service_records.schemas import (
    Decision,
    RecordStatus,
    ReviewBatchResult,
    ReviewDecision,
    ReviewResult,
)
from canlian.volunteers.service_records.service import reason_of
from canlian.volunteers.stations.repository import get_team
from canlian.volunteers.volunteers.repository import get_volunteer
from canlian.volunteers.volunteers.service import touch


def is_official(principal: Principal) -> bool:
    return principal.has_role(OFFICIAL, ADMIN)


async def record_in_scope(
    context: Context, principal: Principal, record_id: str, *, for_update: bool = False
) -> ServiceRecord:
    """A record the caller may see: officials within their region, team leaders for their
    team's records within the team's division, the volunteer their own."""
    record = await repository.get_record(context.session, record_id, for_update=for_update)
    if record is None:
        raise NotFound(what="服务记录 / service record", key=record_id)
    if is_official(principal):
        if not principal.covers(record.division_code):
            raise OutsideScope(what="服务记录 / service record")
    else:
        team = await get_team(context.session, record.team_id) if record.team_id else None
        leads = team is not None and team.leader_volunteer_id == principal.subject
        if not leads and record.volunteer_id != principal.subject:
            raise OutsideScope(what="服务记录 / service record")
        if (
            team is not None
            and leads
            and not divisions.is_within(record.division_code, team.division_code)
        ):
            raise RecordOutsideTeam(division=record.division_code, team_division=team.division_code)
    return record


async def record_for_review(
    context: Context, principal: Principal, record_id: str, precondition: Precondition
) -> ServiceRecord:
    """A record the caller may confirm or reject, never the volunteer's own, at the version
    the caller read (checked last, so a record that cannot be reviewed says why first)."""
    record = await record_in_scope(context, principal, record_id, for_update=True)
    if record.volunteer_id == principal.subject:
        raise CannotConfirmOwnRecord()
    if record.status != RecordStatus.PENDING:
        raise RecordAlreadyReviewed(status=record.status)
    precondition.check(record.version)
    return record


async def confirm_record(
    context: Context, principal: Principal, record: ServiceRecord
) -> ServiceRecord:
    now = utcnow()
    record.status = RecordStatus.CONFIRMED.value
    record.reviewed_by = principal.subject
    record.reviewed_at = now
    record.version += 1
    volunteer = await get_volunteer(context.session, record.volunteer_id, for_update=True)
    assert volunteer is not None
    volunteer.confirmed_minutes += record.minutes
    volunteer.person_times += record.person_times
    touch(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session,
        record_snapshot(record, volunteer.division_code),
        partition_key=volunteer.id,
    )
    await recognise(context, volunteer)
    if record.need_id is not None:
        await referrals.fulfil_by_record(
            context.session, context.outbox, record.need_id, record.served_on
        )
    return record


async def reject_record(
    context: Context, principal: Principal, record: ServiceRecord, reason: str
) -> ServiceRecord:
    record.status = RecordStatus.REJECTED.value
    record.rejection_reason = reason
    record.reviewed_by = principal.subject
    record.reviewed_at = utcnow()
    record.version += 1
    await context.session.flush()
    return record


async def review_batch(
    context: Context, principal: Principal, decisions: Sequence[ReviewDecision], language: Language
) -> ReviewBatchResult:
    """A leader's or official's decisions on many records at once; each is applied or
    reported with its reason, and a failed one writes nothing."""
    results: list[ReviewResult] = []
    for decision in decisions:
        try:
            if decision.decision == Decision.REJECT and not decision.reason:
                raise RejectionReasonRequired()
            # A batch decides on what the reviewer listed; its decisions carry no versions.
            record = await record_for_review(context, principal, decision.record_id, UNCONDITIONAL)
        except ProblemError as problem:
            results.append(
                ReviewResult(
                    record_id=decision.record_id,
                    status=None,
                    reason=reason_of(problem, language),
                )
            )
            continue
        if decision.decision == Decision.CONFIRM:
            record = await confirm_record(context, principal, record)
        else:
            assert decision.reason is not None
            record = await reject_record(context, principal, record, decision.reason)
        results.append(ReviewResult(record_id=record.id, status=RecordStatus(record.status)))
    return ReviewBatchResult(
        confirmed=sum(result.status == RecordStatus.CONFIRMED for result in results),
        rejected=sum(result.status == RecordStatus.REJECTED for result in results),
        failed=sum(result.status is None for result in results),
        results=results,
    )
