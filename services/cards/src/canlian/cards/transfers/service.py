"""Domain rules of transfer requests.

Scope comes first: a request is seen by the sending side (its `from_division_code` in the
caller's scope) and by the receiving side (its `to_division_code`); to anyone else it does
not exist (404), whatever its state or the If-Match sent. The receiving side accepts or
rejects, the sending side withdraws; the other side gets 403.

Every step locks the card first, as every card step does (holder, card, then the request),
so the card's pointer to its open request and the request's status change together, and a
second decision waits and then finds the request decided (409)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from canlian.cards.cards import service as cards_service
from canlian.cards.cards.models import Card
from canlian.cards.context import Context
from canlian.cards.persons.models import Person
from canlian.cards.transfers import repository
from canlian.cards.transfers.models import TransferRequest
from canlian.cards.transfers.problems import (
    OtherSidesStep,
    SameCounty,
    TransferRequestedConcurrently,
)
from canlian.cards.transfers.schemas import TransferRequestCreate
from canlian.cards.transfers.state_machine import TransferAction, next_transfer_status
from canlian.cards.versioning import touch
from canlian.common.concurrency import UNCONDITIONAL, Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.base import DomainEvent
from canlian.common.events.cards import (
    CardTransferAccepted,
    CardTransferRejected,
    CardTransferRequested,
    CardTransferWithdrawn,
    TransferRequestSnapshot,
    TransferStatus,
)


def _county(division_code: str) -> str:
    # Province, city and county digits; a city without counties (东莞 4419) is its own county.
    return division_code[:6].ljust(12, "0")


def request_snapshot(request: TransferRequest) -> dict[str, Any]:
    return TransferRequestSnapshot(
        transfer_request_id=request.id,
        card_id=request.card_id,
        person_id=request.person_id,
        version=request.version,
        from_division_code=request.from_division_code,
        to_division_code=request.to_division_code,
        status=TransferStatus(request.status),
    ).model_dump()


async def request_in_scope(ctx: Context, request_id: int) -> TransferRequest:
    request = await repository.get_request(ctx.session, request_id)
    if request is None or not (
        ctx.principal.covers(request.from_division_code)
        or ctx.principal.covers(request.to_division_code)
    ):
        raise OutsideScope(what="迁移申请 / transfer request")
    return request


async def request_transfer(
    ctx: Context, card_id: int, data: TransferRequestCreate
) -> TransferRequest:
    """The county managing the card asks another county to take it over."""
    # The card in the caller's scope (404 outside, 403 to a reader above it) with no open
    # request (409 naming it); the request changes the card's place only once accepted, so
    # it names no version of the card.
    card, _person = await cards_service.locked_card_and_holder(ctx, card_id, UNCONDITIONAL)
    cards_service.transfer_target(card, data.division_code)
    if _county(data.division_code) == _county(card.division_code):
        raise SameCounty(
            division_code=data.division_code,
            county=_county(card.division_code),
            card_id=card.id,
        )
    now = utcnow()
    request = TransferRequest(
        card_id=card.id,
        person_id=card.person_id,
        from_division_code=card.division_code,
        to_division_code=data.division_code,
        status=TransferStatus.REQUESTED.value,
        reason=data.reason,
        requested_by=ctx.principal.subject,
        requested_at=now,
        version=1,
        updated_at=now,
    )
    ctx.session.add(request)
    try:
        await ctx.session.flush()
    except IntegrityError:
        # The partial unique index: a concurrent request won (where row locks are absent).
        raise TransferRequestedConcurrently() from None
    card.transfer_request_id = request.id
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, CardTransferRequested(**request_snapshot(request)))
    return request


_ACTION_ZH = {
    TransferAction.ACCEPT: "接收",
    TransferAction.REJECT: "拒绝",
    TransferAction.WITHDRAW: "撤回",
}


def _ensure_side(ctx: Context, request: TransferRequest, action: TransferAction) -> None:
    """The receiving county accepts and rejects; the sending county withdraws."""
    if action is TransferAction.WITHDRAW:
        division_code, side, side_zh = request.from_division_code, "sending county", "迁出地"
    else:
        division_code, side, side_zh = request.to_division_code, "receiving county", "迁入地"
    if not ctx.principal.covers(division_code):
        raise OtherSidesStep(
            action=action.value,
            action_zh=_ACTION_ZH[action],
            side=side,
            side_zh=side_zh,
            division_code=division_code,
            scope=ctx.principal.region,
        )


@dataclass
class _Step:
    request: TransferRequest
    target: TransferStatus
    card: Card
    person: Person


async def _begin(
    ctx: Context, request_id: int, precondition: Precondition, action: TransferAction
) -> _Step:
    """Scope, then side, then the locks, then the version the caller read, then the state."""
    request = await request_in_scope(ctx, request_id)
    _ensure_side(ctx, request, action)
    card, person = await cards_service.lock_card_and_holder(ctx, request.card_id, request.person_id)
    locked = await repository.get_request(ctx.session, request_id, lock=True)
    assert locked is not None
    precondition.check(locked.version)
    target = next_transfer_status(locked.status, action)
    return _Step(locked, target, card, person)


async def _end(
    ctx: Context, step: _Step, reason: str | None, event: type[DomainEvent]
) -> TransferRequest:
    request = step.request
    if step.card.transfer_request_id == request.id:
        step.card.transfer_request_id = None  # the card's steps are open again
    request.status = step.target.value
    request.decided_by = ctx.principal.subject
    request.decided_at = utcnow()
    request.decision_reason = reason
    touch(request)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, event(**request_snapshot(request)))
    return request


async def accept_transfer(
    ctx: Context, request_id: int, precondition: Precondition
) -> TransferRequest:
    """The receiving county takes the card over: the card and its holder move (the card's
    own `CardTransferred`), then the request is accepted."""
    step = await _begin(ctx, request_id, precondition, TransferAction.ACCEPT)
    await cards_service.move_card(ctx, step.card, step.person, step.request.to_division_code)
    return await _end(ctx, step, None, CardTransferAccepted)


async def reject_transfer(
    ctx: Context, request_id: int, precondition: Precondition, reason: str
) -> TransferRequest:
    step = await _begin(ctx, request_id, precondition, TransferAction.REJECT)
    return await _end(ctx, step, reason, CardTransferRejected)


async def withdraw_transfer(
    ctx: Context, request_id: int, precondition: Precondition, reason: str | None
) -> TransferRequest:
    step = await _begin(ctx, request_id, precondition, TransferAction.WITHDRAW)
    return await _end(ctx, step, reason, CardTransferWithdrawn)
