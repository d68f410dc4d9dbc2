"""Submitting a period's figures upward, and the level above accepting or returning them.

DHIS2's data approval is the model: a region submits a year's figures (a frozen snapshot);
the level above accepts them (locked) or returns them with reasons; a resubmission, or a
revision of locked figures (which needs a reason), is a new version and the earlier ones
stay on record. Every step writes an event to the outbox in the same unit of work."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.division_words import label
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events import metrics as events
from canlian.common.messaging.outbox import Outbox
from canlian.metrics.catalogue.cache import catalogue
from canlian.metrics.days import BEIJING
from canlian.metrics.divisions.known import division_label, ensure_known
from canlian.metrics.plans.models import Plan
from canlian.metrics.plans.service import ensure_in_plan, get_plan
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.regions.evaluation import evaluate_regions
from canlian.metrics.regions.service import get_region
from canlian.metrics.submissions import repository, schemas
from canlian.metrics.submissions.models import Submission, SubmissionDeadline
from canlian.metrics.submissions.problems import (
    AlreadyWaiting,
    NotLocked,
    NotWaiting,
    OwnSubmission,
    PeriodNotEnded,
    RevisionNeedsReason,
    UnknownSubmission,
    YearOutsidePlan,
)

WAITING = events.SubmissionStatus.WAITING.value
RETURNED = events.SubmissionStatus.RETURNED.value
ACCEPTED = events.SubmissionStatus.ACCEPTED.value


def milestone_of(plan: Plan, year: int) -> regions_schemas.Milestone:
    """Up to the mid-term year figures are held against the mid-term targets."""
    if year <= plan.midterm_year:
        return regions_schemas.Milestone.MIDTERM
    return regions_schemas.Milestone.FINAL


def ensure_year_in_plan(plan: Plan, year: int) -> None:
    if not plan.start_year <= year <= plan.end_year:
        raise YearOutsidePlan(plan=plan.code, start=plan.start_year, end=plan.end_year, year=year)


def submission_read(row: Submission) -> schemas.SubmissionRead:
    return schemas.SubmissionRead(
        id=row.id,
        plan=row.plan_code,
        region=row.division_code,
        year=row.year,
        version=row.version,
        revision=row.row_version,
        status=events.SubmissionStatus(row.status),
        milestone=regions_schemas.Milestone(row.milestone),
        note=row.note,
        revision_reason=row.revision_reason,
        header=schemas.FormHeader(
            form_number=row.form_number,
            issuing_authority=row.issuing_authority,
            reporting_unit=row.reporting_unit,
            unit_head=row.unit_head,
            statistics_head=row.statistics_head,
            preparer=row.preparer,
        ),
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        review_reason=row.review_reason,
        indicators=snapshot_values(row),
    )


def snapshot_values(row: Submission) -> list[regions_schemas.IndicatorValue]:
    return [regions_schemas.IndicatorValue.model_validate(item) for item in row.snapshot]


def _event_fields(row: Submission, reason: str | None) -> dict[str, object]:
    return {
        "submission_id": str(row.id),
        "plan_code": row.plan_code,
        "division_code": row.division_code,
        "year": row.year,
        "version": row.version,
        "status": events.SubmissionStatus(row.status),
        "submitted_by": row.submitted_by,
        "submitted_at": row.submitted_at,
        "reviewed_by": row.reviewed_by,
        "reviewed_at": row.reviewed_at,
        "reason": reason,
    }


async def submit(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    plan_code: str,
    body: schemas.SubmissionCreate,
) -> schemas.SubmissionRead:
    """Freeze the region's figures as of the year's end and send them to the level above."""
    principal.ensure_covers(body.region)
    await ensure_known(session, [body.region])
    plan = await get_plan(session, principal, plan_code)
    ensure_in_plan(plan, body.region)
    ensure_year_in_plan(plan, body.year)
    if date(body.year, 12, 31) >= datetime.now(BEIJING).date():
        raise PeriodNotEnded(year=body.year)
    region = await get_region(session, principal, body.region)
    earlier = await repository.versions(session, plan.code, body.region, body.year)
    latest = earlier[-1] if earlier else None
    if latest is not None and latest.status == WAITING:
        raise AlreadyWaiting(
            region=label(region.code, region.name), year=body.year, version=latest.version
        )
    revising = any(row.status == ACCEPTED for row in earlier)
    reason = (body.revision_reason or "").strip() or None
    if revising and reason is None:
        raise RevisionNeedsReason(region=label(region.code, region.name), year=body.year)
    milestone = milestone_of(plan, body.year)
    indicators = (await catalogue(session)).indicators
    values = await evaluate_regions(
        session,
        [region],
        indicators,
        plan=plan,
        as_of=date(body.year, 12, 31),
        milestone=milestone,
    )
    row = Submission(
        plan_code=plan.code,
        division_code=body.region,
        year=body.year,
        version=(latest.version + 1) if latest is not None else 1,
        row_version=1,
        status=WAITING,
        milestone=milestone.value,
        snapshot=[value.model_dump(mode="json") for value in values[body.region]],
        note=body.note,
        revision_reason=reason if revising else None,
        submitted_by=principal.subject,
        submitted_at=utcnow(),
        **body.header.model_dump(),
    )
    session.add(row)
    await session.flush()
    event = events.FiguresRevised if revising else events.FiguresSubmitted
    await outbox.add(session, event(**_event_fields(row, row.revision_reason)))
    return submission_read(row)


async def _reviewable(
    session: AsyncSession, principal: Principal, submission_id: int, precondition: Precondition
) -> Submission:
    row = await repository.submission(session, submission_id, lock=True)
    if row is None:
        raise UnknownSubmission(key=submission_id)
    if not principal.covers(row.division_code):
        raise OutsideScope(what="上报记录 / submission")
    if principal.subject == row.submitted_by or not principal.covers(
        divisions.parent(row.division_code) or divisions.NATION
    ):
        raise OwnSubmission(region=await division_label(session, row.division_code))
    precondition.check(row.row_version)
    if row.status != WAITING:
        raise NotWaiting(id=row.id, status=row.status)
    return row


async def accept(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    submission_id: int,
    precondition: Precondition,
) -> schemas.SubmissionRead:
    """The level above accepts: the figures are locked."""
    row = await _reviewable(session, principal, submission_id, precondition)
    row.status = ACCEPTED
    row.row_version += 1
    row.reviewed_by = principal.subject
    row.reviewed_at = utcnow()
    await session.flush()
    await outbox.add(session, events.SubmissionAccepted(**_event_fields(row, None)))
    return submission_read(row)


async def return_submission(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    submission_id: int,
    body: schemas.SubmissionReturn,
    precondition: Precondition,
) -> schemas.SubmissionRead:
    """The level above returns the figures with reasons; the region submits a new version."""
    row = await _reviewable(session, principal, submission_id, precondition)
    row.status = RETURNED
    row.row_version += 1
    row.reviewed_by = principal.subject
    row.reviewed_at = utcnow()
    row.review_reason = body.reason
    await session.flush()
    await outbox.add(session, events.SubmissionReturned(**_event_fields(row, body.reason)))
    return submission_read(row)


async def get_submission(
    session: AsyncSession, principal: Principal, submission_id: int
) -> schemas.SubmissionRead:
    row = await repository.submission(session, submission_id)
    if row is None or not principal.covers(row.division_code):
        raise UnknownSubmission(key=submission_id)
    return submission_read(row)


async def versions(
    session: AsyncSession, principal: Principal, plan_code: str, region: str, year: int
) -> list[schemas.SubmissionRead]:
    if not principal.covers(region):
        raise OutsideScope(what="区划 / region")
    plan = await get_plan(session, principal, plan_code)
    return [
        submission_read(row) for row in await repository.versions(session, plan.code, region, year)
    ]


async def locked_submission(
    session: AsyncSession, principal: Principal, plan_code: str, region: str, year: int
) -> Submission:
    """The accepted figures in force for the year (the latest accepted version)."""
    if not principal.covers(region):
        raise OutsideScope(what="区划 / region")
    plan = await get_plan(session, principal, plan_code)
    row = await repository.locked(session, plan.code, region, year)
    if row is None:
        raise NotLocked(region=await division_label(session, region), year=year)
    return row


async def get_deadline(
    session: AsyncSession, principal: Principal, plan_code: str, region: str, year: int
) -> tuple[schemas.DeadlineSet, int]:
    """A deadline set on a region, and its version (what moving it names in If-Match)."""
    principal.ensure_covers(region)
    plan = await get_plan(session, principal, plan_code)
    row = await repository.deadline(session, plan.code, region, year)
    if row is None:
        raise NotFound(what="截止日期 / deadline", key=f"{plan.code}/{region}/{year}")
    return schemas.DeadlineSet(region=row.division_code, year=row.year, due=row.due), row.version


async def set_deadline(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    body: schemas.DeadlineSet,
    precondition: Precondition,
) -> tuple[schemas.DeadlineSet, int]:
    """The date by which the regions below `body.region` submit the year's figures. A new
    deadline needs no If-Match; moving one names its version. Answers it and its version."""
    principal.ensure_covers(body.region)
    await ensure_known(session, [body.region])
    plan = await get_plan(session, principal, plan_code)
    ensure_year_in_plan(plan, body.year)
    row = await repository.deadline(session, plan.code, body.region, body.year, lock=True)
    precondition.check_if_present(row.version if row is not None else None)
    if row is None:
        row = SubmissionDeadline(
            plan_code=plan.code, division_code=body.region, year=body.year, version=1
        )
    else:
        row.version += 1
    row.due = body.due
    row.set_by = principal.subject
    session.add(row)
    await session.flush()
    return body, row.version


async def locked_indicators(
    session: AsyncSession, principal: Principal, plan_code: str, region: str, year: int
) -> regions_schemas.RegionIndicators:
    """A locked year's indicators, read from the accepted snapshot: events that arrive later
    move the live figures, never these."""
    row = await locked_submission(session, principal, plan_code, region, year)
    return regions_schemas.RegionIndicators(
        region=await get_region(session, principal, region),
        plan=row.plan_code,
        as_of=date(year, 12, 31),
        indicators=snapshot_values(row),
    )


async def submission_in_force(
    session: AsyncSession, plan_code: str, region: str, year: int
) -> Submission | None:
    """The figures a report prints: the accepted version, else the latest one (waiting or
    returned), else None. The caller has checked scope and plan."""
    row = await repository.locked(session, plan_code, region, year)
    if row is not None:
        return row
    earlier = await repository.versions(session, plan_code, region, year)
    return earlier[-1] if earlier else None
