"""A transfer request as the API shows it: the holder's name masked, the actions allowed now."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from canlian.cards.context import Context
from canlian.cards.persons.models import Person
from canlian.cards.persons.service import holders_of, masked
from canlian.cards.transfers.models import TransferRequest
from canlian.cards.transfers.schemas import TransferRequestRead
from canlian.cards.transfers.state_machine import allowed_transfer_actions
from canlian.common.events.cards import TransferStatus
from canlian.common.pagination import Page, PageParams, paginate
from canlian.common.personal_data import PersonalDataProtector


def request_view(
    pii: PersonalDataProtector, request: TransferRequest, person: Person
) -> TransferRequestRead:
    return TransferRequestRead(
        id=request.id,
        card_id=request.card_id,
        person_id=request.person_id,
        holder_name_masked=masked(pii, person).name,
        from_division_code=request.from_division_code,
        to_division_code=request.to_division_code,
        status=TransferStatus(request.status),
        allowed_actions=allowed_transfer_actions(request.status),
        reason=request.reason,
        requested_by=request.requested_by,
        requested_at=request.requested_at,
        decided_by=request.decided_by,
        decided_at=request.decided_at,
        decision_reason=request.decision_reason,
        version=request.version,
    )


async def request_read(ctx: Context, request: TransferRequest) -> TransferRequestRead:
    persons = await holders_of(ctx.session, [request])
    return request_view(ctx.pii, request, persons[request.person_id])


async def request_page(
    ctx: Context, statement: Select[Any], paging: PageParams
) -> Page[TransferRequestRead]:
    rows, cursor = await paginate(ctx.session, statement, [TransferRequest.id], paging)
    persons = await holders_of(ctx.session, rows)
    return Page(
        items=[request_view(ctx.pii, row, persons[row.person_id]) for row in rows],
        next_cursor=cursor,
    )
