"""Recording home visits, one at a time or in offline batches: the household within the
caller's region, the member serving its village (403 elsewhere), the date neither in the
future nor too old; a resent visit (same member, same client id) is a duplicate, never
recorded twice. A visit moves the household's schedule on and says whether it was on time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from canlian.common.business_day import china_today
from canlian.common.db.metadata import utcnow
from canlian.common.errors import ProblemError
from canlian.common.events.needs import HomeVisitRecorded
from canlian.common.i18n import Language
from canlian.needs.committee_members.service import ensure_serves
from canlian.needs.context import Context
from canlian.needs.db import new_id
from canlian.needs.households import service as households
from canlian.needs.needs import service as needs
from canlian.needs.visits import repository
from canlian.needs.visits.models import Visit
from canlian.needs.visits.problems import ClientIdReused, VisitInFuture, VisitTooOld
from canlian.needs.visits.schemas import (
    BatchItemResult,
    BatchOutcome,
    BatchResult,
    RejectionReason,
    VisitInput,
)


def _same_visit(visit: Visit, item: VisitInput) -> bool:
    return visit.household_id == item.household_id and visit.visited_on == item.visited_on


async def record(context: Context, member_id: str, item: VisitInput) -> Visit:
    """Checks first, in the order a caller may learn them (scope, area, date), then writes."""
    household = await households.household_in_scope(context, item.household_id, for_update=True)
    await ensure_serves(context.session, member_id, household.division_code)
    today = china_today()
    if item.visited_on > today:
        raise VisitInFuture(visited_on=item.visited_on)
    oldest = today - timedelta(days=context.settings.visit_max_age_days)
    if item.visited_on < oldest:
        raise VisitTooOld(days=context.settings.visit_max_age_days)
    due_on = await households.record_visit(context, household, item.visited_on)
    visit = Visit(
        id=new_id(),
        client_id=item.client_id,
        household_id=household.id,
        member_id=member_id,
        division_code=household.division_code,
        visited_on=item.visited_on,
        met=item.met,
        findings=item.findings,
        needs_found=[need.model_dump(mode="json") for need in item.needs],
        photos=list(item.photos),
        due_on=due_on,
        on_schedule=None if due_on is None else item.visited_on <= due_on,
        recorded_by=context.principal.subject,
        recorded_at=utcnow(),
        version=1,
    )
    context.session.add(visit)
    await context.session.flush()
    # Each need found becomes a need of the household (or joins its open one).
    found = []
    for need in item.needs:
        recorded = await needs.record_found_on_visit(
            context, household, visit.id, need.category, need.description
        )
        found.append({**need.model_dump(mode="json"), "need_id": recorded.id})
    visit.needs_found = found
    await context.outbox.add(context.session, visit_event(visit))
    return visit


def visit_event(visit: Visit) -> HomeVisitRecorded:
    """The visit as its event carries it (no findings, no names)."""
    return HomeVisitRecorded(
        visit_id=visit.id,
        version=visit.version,
        household_id=visit.household_id,
        member_id=visit.member_id,
        division_code=visit.division_code,
        visited_on=visit.visited_on,
        needs_found=len(visit.needs_found),
        due_on=visit.due_on,
        on_schedule=visit.on_schedule,
    )


async def record_one(context: Context, member_id: str, item: VisitInput) -> tuple[Visit, bool]:
    """The visit, and whether this call recorded it (False: a resend of one recorded before)."""
    known = await repository.by_client_ids(context.session, member_id, [item.client_id])
    existing = known.get(item.client_id)
    if existing is not None:
        if _same_visit(existing, item):
            return existing, False
        raise ClientIdReused(client_id=item.client_id)
    return await record(context, member_id, item), True


def _reason(problem: ProblemError, language: Language) -> RejectionReason:
    return RejectionReason(
        code=problem.code,
        message=problem.render_detail(language) or problem.title.render(language),
    )


async def record_batch(
    context: Context, member_id: str, items: Sequence[VisitInput], language: Language
) -> BatchResult:
    """Each visit is accepted, a duplicate of one sent before, or rejected with a reason; a
    rejected visit writes nothing (each is recorded in a savepoint of its own)."""
    known = await repository.by_client_ids(
        context.session, member_id, {item.client_id for item in items}
    )
    results: list[BatchItemResult] = []
    for item in items:
        existing = known.get(item.client_id)
        if existing is not None:
            if _same_visit(existing, item):
                results.append(
                    BatchItemResult(
                        client_id=item.client_id,
                        outcome=BatchOutcome.DUPLICATE,
                        visit_id=existing.id,
                    )
                )
            else:
                results.append(
                    BatchItemResult(
                        client_id=item.client_id,
                        outcome=BatchOutcome.REJECTED,
                        reason=_reason(ClientIdReused(client_id=item.client_id), language),
                    )
                )
            continue
        try:
            async with context.session.begin_nested():
                visit = await record(context, member_id, item)
        except ProblemError as problem:
            results.append(
                BatchItemResult(
                    client_id=item.client_id,
                    outcome=BatchOutcome.REJECTED,
                    reason=_reason(problem, language),
                )
            )
            continue
        except IntegrityError:
            # The same batch sent twice at once: the other request recorded it first.
            raced = await repository.by_client_ids(context.session, member_id, [item.client_id])
            if item.client_id not in raced:
                raise
            known[item.client_id] = raced[item.client_id]
            results.append(
                BatchItemResult(
                    client_id=item.client_id,
                    outcome=BatchOutcome.DUPLICATE,
                    visit_id=raced[item.client_id].id,
                )
            )
            continue
        known[item.client_id] = visit
        results.append(
            BatchItemResult(
                client_id=item.client_id, outcome=BatchOutcome.ACCEPTED, visit_id=visit.id
            )
        )
    return BatchResult(
        accepted=sum(r.outcome == BatchOutcome.ACCEPTED for r in results),
        duplicates=sum(r.outcome == BatchOutcome.DUPLICATE for r in results),
        rejected=sum(r.outcome == BatchOutcome.REJECTED for r in results),
        results=results,
    )
