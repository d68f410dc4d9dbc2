"""Drafting, approving and reading evaluations, and comparing the regions below.

An evaluation is built from the region's accepted (locked) submission of the milestone's year
(the mid-term year or the plan's last year): each indicator's locked value against the
milestone's target. The region drafts it with a conclusion; the level above approves it
(never the drafter nor the region's own level); an approved evaluation never changes. Each
step writes an event to the outbox in the same unit of work."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.division_words import label
from canlian.common.errors import OutsideScope
from canlian.common.events import metrics as events
from canlian.common.messaging.outbox import Outbox
from canlian.common.pagination import Page, PageParams
from canlian.metrics.catalogue.cache import catalogue_indicator
from canlian.metrics.catalogue.schemas import IndicatorUnit
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.divisions.known import division_label
from canlian.metrics.evaluations import repository, schemas
from canlian.metrics.evaluations.models import Evaluation, EvaluationIndicator
from canlian.metrics.evaluations.problems import (
    EvaluationApproved,
    IndicatorNotEvaluated,
    NoLockedFigures,
    OwnEvaluation,
    UnknownEvaluation,
)
from canlian.metrics.hierarchy import LevelNotBelow
from canlian.metrics.plans.models import Plan
from canlian.metrics.plans.schemas import Comparator
from canlian.metrics.plans.service import ensure_in_plan, get_plan
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.regions.service import get_region, named_region
from canlian.metrics.submissions import repository as submissions_repository
from canlian.metrics.submissions.service import snapshot_values

DRAFT = events.EvaluationStatus.DRAFT.value
APPROVED = events.EvaluationStatus.APPROVED.value

KIND_ZH = {events.EvaluationKind.MIDTERM: "中期评估", events.EvaluationKind.FINAL: "终期评估"}

_OUTCOMES = {
    regions_schemas.Status.MET: schemas.Outcome.MET,
    regions_schemas.Status.BEHIND: schemas.Outcome.NOT_MET,
    regions_schemas.Status.NO_TARGET: schemas.Outcome.NO_TARGET,
    regions_schemas.Status.NO_DATA: schemas.Outcome.INCOMPLETE,
}


def year_of(plan: Plan, kind: events.EvaluationKind) -> int:
    return plan.midterm_year if kind is events.EvaluationKind.MIDTERM else plan.end_year


def outcome_of(value: regions_schemas.IndicatorValue) -> schemas.Outcome:
    """A target without a value is incomplete; a value without a target has no target."""
    if value.target is None:
        return schemas.Outcome.NO_TARGET
    return _OUTCOMES[value.status]


def _indicator_rows(
    evaluation_id: int, values: list[regions_schemas.IndicatorValue]
) -> list[EvaluationIndicator]:
    return [
        EvaluationIndicator(
            evaluation_id=evaluation_id,
            indicator_code=value.indicator,
            position=position,
            name_zh=value.name_zh,
            name_en=value.name_en,
            unit=value.unit.value,
            value=value.value,
            comparator=value.target.comparator.value if value.target is not None else None,
            target=value.target.value if value.target is not None else None,
            status=outcome_of(value).value,
            gap=value.gap if value.target is not None else None,
        )
        for position, value in enumerate(values)
    ]


def _outcome_read(row: EvaluationIndicator) -> schemas.IndicatorOutcome:
    return schemas.IndicatorOutcome(
        indicator=row.indicator_code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        unit=IndicatorUnit(row.unit),
        value=row.value,
        comparator=Comparator(row.comparator) if row.comparator is not None else None,
        target=row.target,
        status=schemas.Outcome(row.status),
        gap=row.gap,
    )


def _counts(rows: list[EvaluationIndicator]) -> dict[schemas.Outcome, int]:
    found = Counter(schemas.Outcome(row.status) for row in rows)
    return {outcome: found.get(outcome, 0) for outcome in schemas.Outcome}


async def evaluation_read(
    session: AsyncSession, row: Evaluation, plan: Plan
) -> schemas.EvaluationRead:
    indicators = await repository.indicators_of(session, row.id)
    division = await divisions_repository.division(session, row.division_code)
    return schemas.EvaluationRead(
        id=row.id,
        plan=row.plan_code,
        plan_name=plan.name,
        region=named_region(row.division_code, division.name if division is not None else None),
        kind=events.EvaluationKind(row.kind),
        year=row.year,
        submission_id=row.submission_id,
        submission_version=row.submission_version,
        status=events.EvaluationStatus(row.status),
        version=row.version,
        revision=row.row_version,
        conclusion=row.conclusion,
        drafted_by=row.drafted_by,
        drafted_at=row.drafted_at,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        counts=_counts(indicators),
        indicators=[_outcome_read(item) for item in indicators],
    )


def _event_fields(row: Evaluation, read: schemas.EvaluationRead) -> dict[str, object]:
    return {
        "evaluation_id": str(row.id),
        "plan_code": row.plan_code,
        "division_code": row.division_code,
        "kind": events.EvaluationKind(row.kind),
        "year": row.year,
        "version": row.version,
        "status": events.EvaluationStatus(row.status),
        "submission_id": str(row.submission_id),
        "met": read.counts[schemas.Outcome.MET],
        "not_met": read.counts[schemas.Outcome.NOT_MET],
        "drafted_by": row.drafted_by,
        "drafted_at": row.drafted_at,
        "approved_by": row.approved_by,
        "approved_at": row.approved_at,
    }


async def draft(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    plan_code: str,
    body: schemas.EvaluationDraft,
    precondition: Precondition,
) -> schemas.EvaluationRead:
    """Draft (or redraft) a region's evaluation from its accepted figures of the year. A
    redraft replaces the draft the caller read (If-Match); the first draft names none."""
    principal.ensure_covers(body.region)
    await get_region(session, principal, body.region)
    plan = await get_plan(session, principal, plan_code)
    ensure_in_plan(plan, body.region)
    year = year_of(plan, body.kind)
    submission = await submissions_repository.locked(session, plan.code, body.region, year)
    if submission is None:
        raise NoLockedFigures(
            region=await division_label(session, body.region),
            year=year,
            kind=body.kind.value,
            kind_zh=KIND_ZH[body.kind],
            plan=plan.code,
        )
    row = await repository.evaluation_of(session, plan.code, body.region, body.kind.value)
    if row is not None:
        precondition.check(row.row_version)
    if row is not None and row.status == APPROVED:
        raise EvaluationApproved(id=row.id, approved_by=row.approved_by)
    if row is None:
        row = Evaluation(
            plan_code=plan.code,
            division_code=body.region,
            level=int(divisions.level_of(body.region)),
            kind=body.kind.value,
            version=0,
            row_version=0,
        )
    row.year = year
    row.submission_id = submission.id
    row.submission_version = submission.version
    row.status = DRAFT
    row.version += 1
    row.row_version += 1
    row.conclusion = body.conclusion
    row.drafted_by = principal.subject
    row.drafted_at = utcnow()
    session.add(row)
    await session.flush()
    await repository.replace_indicators(
        session, row.id, _indicator_rows(row.id, snapshot_values(submission))
    )
    read = await evaluation_read(session, row, plan)
    await outbox.add(session, events.EvaluationDrafted(**_event_fields(row, read)))
    return read


async def approve(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    evaluation_id: int,
    precondition: Precondition,
) -> schemas.EvaluationRead:
    """The level above approves the draft it read: the evaluation is on record and never
    changes."""
    row = await repository.evaluation(session, evaluation_id, lock=True)
    if row is None:
        raise UnknownEvaluation(key=evaluation_id)
    principal.ensure_covers(row.division_code)
    if principal.subject == row.drafted_by or not principal.covers(
        divisions.parent(row.division_code) or divisions.NATION
    ):
        raise OwnEvaluation(region=await division_label(session, row.division_code))
    precondition.check(row.row_version)
    if row.status == APPROVED:
        raise EvaluationApproved(id=row.id, approved_by=row.approved_by)
    plan = await get_plan(session, principal, row.plan_code)
    row.status = APPROVED
    row.row_version += 1
    row.approved_by = principal.subject
    row.approved_at = utcnow()
    await session.flush()
    read = await evaluation_read(session, row, plan)
    await outbox.add(session, events.EvaluationApproved(**_event_fields(row, read)))
    return read


async def get_evaluation(
    session: AsyncSession, principal: Principal, evaluation_id: int
) -> schemas.EvaluationRead:
    row = await repository.evaluation(session, evaluation_id)
    if row is None or not principal.covers(row.division_code):
        raise UnknownEvaluation(key=evaluation_id)
    plan = await get_plan(session, principal, row.plan_code)
    return await evaluation_read(session, row, plan)


async def compare(
    session: AsyncSession,
    principal: Principal,
    code: str,
    *,
    plan_code: str,
    kind: events.EvaluationKind,
    indicator: str,
    status: schemas.Outcome | None,
    level: int | None,
    paging: PageParams,
) -> Page[schemas.ComparedRegion]:
    """The regions below `code` (its children, or every region of `level`) with an approved
    evaluation, and one indicator's status in it: e.g. the counties that failed the
    mid-term on staffing."""
    if not principal.covers(code):
        raise OutsideScope(what="区划 / region")
    region = await get_region(session, principal, code)
    plan = await get_plan(session, principal, plan_code)
    if await catalogue_indicator(session, indicator) is None:
        raise IndicatorNotEvaluated(indicator=indicator[:60])
    own = int(divisions.level_of(code))
    wanted = level if level is not None else own + 1
    if wanted <= own or wanted > divisions.DivisionLevel.VILLAGE:
        raise LevelNotBelow(region=label(region.code, region.name))
    rows, cursor = await repository.compared(
        session,
        plan_code=plan.code,
        kind=kind.value,
        prefix=divisions.prefix(code),
        level=wanted,
        indicator=indicator,
        status=status.value if status is not None else None,
        paging=paging,
    )
    named = await divisions_repository.divisions_by_code(
        session, [row.division_code for row in rows]
    )
    items = [
        schemas.ComparedRegion(
            region=named_region(
                row.division_code,
                named[row.division_code].name if row.division_code in named else None,
            ),
            evaluation_id=row.id,
            year=row.year,
            approved_at=row.approved_at,
            value=row.value,
            comparator=Comparator(row.comparator) if row.comparator is not None else None,
            target=row.target,
            status=schemas.Outcome(row.status),
            gap=row.gap,
        )
        for row in rows
    ]
    return Page[schemas.ComparedRegion](items=items, next_cursor=cursor)


async def approving_unit(session: AsyncSession, evaluation: schemas.EvaluationRead) -> str:
    """The level that approves the region's evaluation, by name (the level above)."""
    parent = evaluation.region.parent_code or divisions.NATION
    division = await divisions_repository.division(session, parent)
    return named_region(parent, division.name if division is not None else None).name or parent
