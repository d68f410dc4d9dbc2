"""The rules every act of a term follows, whatever its kind: a correction is a later version
with a reason and restates the act (every version kept); a withdrawal, with a reason, makes the
act count no more and makes way for another; a withdrawn act changes no more. Each change names
the version it was made against, keeps the version, is announced and lands in the
organisation's trail, in the request's transaction. A kind (`ActKind`) says who may change its
acts, what a correction checks and restates, and what its snapshot and events are."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.base import DomainEvent, EventModel
from canlian.common.log import current_request_id
from canlian.org_registry.context import Context
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.models import ChangeRecord
from canlian.org_registry.term_acts import repository
from canlian.org_registry.term_acts.models import WITHDRAWN, TermAct, TermActVersion
from canlian.org_registry.term_acts.problems import ActWithdrawn
from canlian.org_registry.term_acts.schemas import ActWithdrawal, Correction

A = TypeVar("A", bound=TermAct)
V = TypeVar("V", bound=TermActVersion)
C = TypeVar("C", bound=Correction)


@dataclass(frozen=True)
class ActKind(Generic[A, V, C]):
    """One kind of act: its tables, its words, its events and the rules it adds."""

    acts: type[A]
    versions: type[V]
    what: str  # in the not-found problems, both languages
    trail: str  # the trail's actions: "<trail>ed" when recorded, "<trail>_<change>" after
    object_type: str
    withdrawn_problem: type[ActWithdrawn]
    recorded_event: type[DomainEvent]
    corrected_event: type[DomainEvent]
    withdrawn_event: type[DomainEvent]
    snapshot: Callable[[AsyncSession, A], Awaitable[EventModel]]
    details: Callable[[A], dict[str, Any]]  # what the versions keep beyond the snapshot
    ensure_may_change: Callable[[AsyncSession, Context, A], Awaitable[None]]
    restate: Callable[[AsyncSession, Context, A, C], Awaitable[None]]  # checks, then applies


async def get(
    session: AsyncSession,
    principal: Principal,
    kind: ActKind[A, V, C],
    act_id: int,
    *,
    for_update: bool = False,
) -> A:
    act = await repository.act(session, kind.acts, act_id, for_update=for_update)
    if act is None:
        raise NotFound(what=kind.what, key=act_id)
    if not principal.covers(act.division_code):
        raise OutsideScope(what=kind.what)
    return act


async def versions(
    session: AsyncSession, principal: Principal, kind: ActKind[A, V, C], act_id: int
) -> list[V]:
    act = await get(session, principal, kind, act_id)
    return await repository.versions_of(session, kind.versions, act.id)


async def record(session: AsyncSession, context: Context, kind: ActKind[A, V, C], act: A) -> A:
    """The act's first version, once the kind has checked it."""
    session.add(act)
    await session.flush()
    event = await _event(session, kind, kind.recorded_event, act)
    await _announce(session, context, kind, act, event, "recorded", None, None)
    return act


async def correct(
    session: AsyncSession,
    context: Context,
    kind: ActKind[A, V, C],
    act_id: int,
    body: C,
    precondition: Precondition,
) -> A:
    """A later version of the act with the correction's reason; the earlier stays in the
    act's versions."""
    act = await _changeable(session, context, kind, act_id, precondition)
    before = await _content(session, kind, act)
    await kind.restate(session, context, act, body)
    act.correction_reason = body.reason
    corrected = kind.corrected_event
    await _next_version(session, context, kind, act, "corrected", body.reason, before, corrected)
    return act


async def withdraw(
    session: AsyncSession,
    context: Context,
    kind: ActKind[A, V, C],
    act_id: int,
    body: ActWithdrawal,
    precondition: Precondition,
) -> A:
    """The act no longer counts; another may be recorded in its place."""
    act = await _changeable(session, context, kind, act_id, precondition)
    before = await _content(session, kind, act)
    act.status = WITHDRAWN
    act.withdrawn_on = context.today
    act.withdrawal_reason = body.reason
    withdrawn = kind.withdrawn_event
    await _next_version(
        session, context, kind, act, "withdrawn", body.reason, before, withdrawn, context.today
    )
    return act


async def _changeable(
    session: AsyncSession,
    context: Context,
    kind: ActKind[A, V, C],
    act_id: int,
    precondition: Precondition,
) -> A:
    """The act, locked, if the caller may change it and names its current version."""
    act = await get(session, context.principal, kind, act_id, for_update=True)
    await kind.ensure_may_change(session, context, act)
    precondition.check(act.version)
    if act.status == WITHDRAWN:
        raise kind.withdrawn_problem(review_id=act.id, withdrawn_on=str(act.withdrawn_on))
    return act


async def _next_version(
    session: AsyncSession,
    context: Context,
    kind: ActKind[A, V, C],
    act: A,
    change: str,
    reason: str,
    before: dict[str, Any],
    event_type: type[DomainEvent],
    withdrawn_on: date | None = None,
) -> None:
    """The changed act at its next version, announced as `event_type`."""
    act.version += 1
    act.changed_by = context.principal.subject
    act.changed_at = utcnow()
    await session.flush()
    event = await _event(session, kind, event_type, act, withdrawn_on)
    await _announce(session, context, kind, act, event, change, reason, before)


async def _event(
    session: AsyncSession,
    kind: ActKind[A, V, C],
    event_type: type[DomainEvent],
    act: A,
    withdrawn_on: date | None = None,
) -> DomainEvent:
    """The event as the act's snapshot names it; a withdrawal names less of it, and the day."""
    snapshot = (await kind.snapshot(session, act)).model_dump()
    fields = {name: value for name, value in snapshot.items() if name in event_type.model_fields}
    if withdrawn_on is not None:
        fields["withdrawn_on"] = withdrawn_on
    return event_type(**fields)


async def _content(session: AsyncSession, kind: ActKind[A, V, C], act: A) -> dict[str, Any]:
    """What a version keeps: the snapshot, the kind's details and the act's state, as JSON."""
    found: dict[str, Any] = json.loads(
        json.dumps(
            {
                **(await kind.snapshot(session, act)).model_dump(),
                **kind.details(act),
                "status": act.status,
                "withdrawn_on": act.withdrawn_on,
            },
            ensure_ascii=False,
            default=str,
        )
    )
    return found


async def _announce(
    session: AsyncSession,
    context: Context,
    kind: ActKind[A, V, C],
    act: A,
    event: DomainEvent,
    change: str,
    reason: str | None,
    before: dict[str, Any] | None,
) -> None:
    """The version kept, the event in the outbox and the change in the organisation's trail,
    in the request's transaction."""
    principal = context.principal
    content = await _content(session, kind, act)
    at = act.changed_at or act.recorded_at
    repository.add_version(
        session,
        kind.versions(
            review_id=act.id,
            version=act.version,
            change=change,
            content=content,
            reason=reason,
            recorded_by=principal.subject,
            recorded_at=at,
        ),
    )
    await context.outbox.add(session, event)
    organisations_repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=at,
            actor=principal.subject,
            actor_region=principal.region,
            action=f"{kind.trail}ed" if change == "recorded" else f"{kind.trail}_{change}",
            object_type=kind.object_type,
            object_id=act.organisation_id,  # in the organisation's trail
            division_code=act.division_code,
            before=json.dumps(before, ensure_ascii=False) if before is not None else None,
            after=json.dumps({**content, "reason": reason}, ensure_ascii=False),
            request_id=current_request_id(),
        ),
    )
