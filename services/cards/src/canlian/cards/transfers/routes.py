"""HTTP routes of transfer requests: the county managing a card asks, the receiving county
lists what comes in and accepts or rejects, the sender lists what goes out and may withdraw."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from canlian.cards.bodies import MAX_ID
from canlian.cards.cards.routes import CardId
from canlian.cards.context import Context
from canlian.cards.dependencies import OfficialContext, OfficialWrite, RegionFilter, region_prefix
from canlian.cards.transfers import repository, service
from canlian.cards.transfers.schemas import (
    TransferRejection,
    TransferRequestCreate,
    TransferRequestRead,
    TransferWithdrawal,
)
from canlian.cards.transfers.views import request_page, request_read
from canlian.common.concurrency import etag
from canlian.common.dependencies import IfMatch
from canlian.common.events.cards import TransferStatus
from canlian.common.locations import created
from canlian.common.pagination import Page, PageParams, Paging

router = APIRouter(prefix="/v1")

TransferRequestId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="迁移申请编号 / transfer request id")
]
StatusFilter = Annotated[
    TransferStatus | None,
    Query(description="状态:requested / accepted / rejected / withdrawn / status"),
]
CardFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="证件编号 / card id")]


async def _listed(
    ctx: Context,
    paging: PageParams,
    region: str | None,
    status: TransferStatus | None,
    card_id: int | None,
    *,
    incoming: bool,
) -> Page[TransferRequestRead]:
    statement = repository.requests_query(
        region_prefix(ctx, region),
        incoming=incoming,
        status=status.value if status else None,
        card_id=card_id,
    )
    return await request_page(ctx, statement, paging)


@router.post(
    "/cards/{card_id}/transfer-requests",
    status_code=201,
    openapi_extra=created("/v1/transfer-requests/{id}"),
    response_model=TransferRequestRead,
    tags=["transfers"],
    summary="申请迁往其他县(由迁入地接收)/ Ask another county to take the card over",
)
async def request_card_transfer(
    card_id: CardId, body: TransferRequestCreate, write: OfficialWrite
) -> object:
    ctx, idempotent = write
    request = await service.request_transfer(ctx, card_id, body)
    reply = await idempotent.respond(await request_read(ctx, request), status_code=201)
    reply.headers["ETag"] = etag(request.version)
    return reply


@router.get(
    "/transfer-requests/incoming",
    response_model=Page[TransferRequestRead],
    tags=["transfers"],
    summary="迁入本地的迁移申请 / Transfer requests into your region",
)
async def list_incoming_transfer_requests(
    ctx: OfficialContext,
    paging: Paging,
    region: RegionFilter = None,
    status: StatusFilter = None,
    card_id: CardFilter = None,
) -> Page[TransferRequestRead]:
    return await _listed(ctx, paging, region, status, card_id, incoming=True)


@router.get(
    "/transfer-requests/outgoing",
    response_model=Page[TransferRequestRead],
    tags=["transfers"],
    summary="本地迁出的迁移申请 / Transfer requests out of your region",
)
async def list_outgoing_transfer_requests(
    ctx: OfficialContext,
    paging: Paging,
    region: RegionFilter = None,
    status: StatusFilter = None,
    card_id: CardFilter = None,
) -> Page[TransferRequestRead]:
    return await _listed(ctx, paging, region, status, card_id, incoming=False)


@router.get(
    "/transfer-requests/{transfer_request_id}",
    response_model=TransferRequestRead,
    tags=["transfers"],
    summary="迁移申请 / A transfer request",
)
async def get_transfer_request(
    transfer_request_id: TransferRequestId, ctx: OfficialContext, response: Response
) -> TransferRequestRead:
    request = await service.request_in_scope(ctx, transfer_request_id)
    response.headers["ETag"] = etag(request.version)
    return await request_read(ctx, request)


@router.post(
    "/transfer-requests/{transfer_request_id}/accept",
    response_model=TransferRequestRead,
    tags=["transfers"],
    summary="接收(证件迁入本地)/ Accept: the card moves here",
)
async def accept_transfer_request(
    transfer_request_id: TransferRequestId,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> TransferRequestRead:
    request = await service.accept_transfer(ctx, transfer_request_id, precondition)
    response.headers["ETag"] = etag(request.version)
    return await request_read(ctx, request)


@router.post(
    "/transfer-requests/{transfer_request_id}/reject",
    response_model=TransferRequestRead,
    tags=["transfers"],
    summary="拒绝(须说明理由)/ Reject, with a reason",
)
async def reject_transfer_request(
    transfer_request_id: TransferRequestId,
    body: TransferRejection,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> TransferRequestRead:
    request = await service.reject_transfer(ctx, transfer_request_id, precondition, body.reason)
    response.headers["ETag"] = etag(request.version)
    return await request_read(ctx, request)


@router.post(
    "/transfer-requests/{transfer_request_id}/withdraw",
    response_model=TransferRequestRead,
    tags=["transfers"],
    summary="撤回(迁出地,接收前)/ Withdraw, before the receiving county decides",
)
async def withdraw_transfer_request(
    transfer_request_id: TransferRequestId,
    body: TransferWithdrawal,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> TransferRequestRead:
    request = await service.withdraw_transfer(ctx, transfer_request_id, precondition, body.reason)
    response.headers["ETag"] = etag(request.version)
    return await request_read(ctx, request)
