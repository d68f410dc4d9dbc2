"""HTTP routes of cards: issue for an approved application, list, read, and every step of a
card's life; a person's cards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from canlian.cards.applications.routes import ApplicationId
from canlian.cards.bodies import MAX_ID
from canlian.cards.cards import expiry, repository, service
from canlian.cards.cards.models import Card
from canlian.cards.cards.schemas import (
    CardCancel,
    CardChange,
    CardIssue,
    CardRead,
    CardReissue,
    CardReplace,
    CardTransfer,
    ExpiryRun,
)
from canlian.cards.cards.views import card_page, card_read, card_view
from canlian.cards.dependencies import OfficialContext, OfficialWrite, RegionFilter, region_prefix
from canlian.cards.persons.routes import PersonId
from canlian.cards.persons.service import holders_of, person_in_scope
from canlian.common.concurrency import etag
from canlian.common.dependencies import IfMatch
from canlian.common.events.cards import (
    CardGeneration,
    CardStatus,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.sorting import SortOrder, sorting

# A card list's orders: as registered (default), by issue date, by the date it runs out.
CARD_ORDERS = sorting(
    {
        "id": [Card.id],
        "issued_on": [Card.issued_on, Card.id],
        "valid_until": [Card.valid_until, Card.id],
    },
    default="id",
)
CardOrder = Annotated[SortOrder, Depends(CARD_ORDERS)]

router = APIRouter(prefix="/v1")

CardId = Annotated[int, Path(ge=1, le=MAX_ID, description="证件编号 / card id")]


@router.get(
    "/persons/{person_id}/cards",
    response_model=Page[CardRead],
    tags=["persons"],
    summary="某人的全部证件(含历史)/ All cards of a person, history included",
)
async def list_person_cards(
    person_id: PersonId, ctx: OfficialContext, paging: Paging
) -> Page[CardRead]:
    person = await person_in_scope(ctx, person_id)
    # The whole history of a holder in scope, also cards issued before a transfer elsewhere.
    statement = repository.cards_query("", person_id=person.id)
    rows, cursor = await paginate(ctx.session, statement, [Card.id], paging)
    return Page(items=[card_view(ctx.pii, card, person) for card in rows], next_cursor=cursor)


@router.post(
    "/applications/{application_id}/card",
    status_code=201,
    openapi_extra=created("/v1/cards/{id}"),
    response_model=CardRead,
    tags=["cards"],
    summary="发证(须审核通过)/ Issue the card of an approved application",
)
async def issue_card(
    application_id: ApplicationId,
    body: CardIssue,
    write: OfficialWrite,
    precondition: IfMatch,
) -> object:
    ctx, idempotent = write
    card = await service.issue_card(ctx, application_id, body, precondition)
    reply = await idempotent.respond(await card_read(ctx, card), status_code=201)
    reply.headers["ETag"] = etag(card.version)  # of the new card
    return reply


@router.get(
    "/cards",
    response_model=Page[CardRead],
    tags=["cards"],
    summary="证件列表 / Cards in your region",
)
async def list_cards(
    ctx: OfficialContext,
    paging: Paging,
    order: CardOrder,
    region: RegionFilter = None,
    status: Annotated[CardStatus | None, Query(description="状态 / status")] = None,
    generation: Annotated[CardGeneration | None, Query(description="证件类型 / generation")] = None,
    category: Annotated[DisabilityCategory | None, Query(description="残疾类别 / category")] = None,
    grade: Annotated[DisabilityGrade | None, Query(description="残疾等级 / grade")] = None,
) -> Page[CardRead]:
    statement = repository.cards_query(
        region_prefix(ctx, region),
        status=status.value if status else None,
        generation=generation.value if generation else None,
        category=int(category) if category else None,
        grade=int(grade) if grade else None,
    )
    # A county's cards are spread over the national table: the page's ids come from the
    # index of division codes and ids alone (migration 0010), then those 50 cards.
    return await card_page(ctx, statement, order, paging, keys_first=True)


@router.get("/cards/{card_id}", response_model=CardRead, tags=["cards"], summary="证件 / A card")
async def get_card(card_id: CardId, ctx: OfficialContext, response: Response) -> CardRead:
    card = await service.card_in_scope(ctx, card_id)
    response.headers["ETag"] = etag(card.version)
    return await card_read(ctx, card)


@router.post(
    "/cards/{card_id}/replace",
    status_code=201,
    openapi_extra=created("/v1/cards/{id}"),
    response_model=CardRead,
    tags=["cards"],
    summary="换领(换代或到期)/ Replace: new generation or expiry",
)
async def replace_card(
    card_id: CardId,
    body: CardReplace,
    write: OfficialWrite,
    precondition: IfMatch,
) -> object:
    ctx, idempotent = write
    card = await service.replace_card(ctx, card_id, body, precondition)
    reply = await idempotent.respond(await card_read(ctx, card), status_code=201)
    reply.headers["ETag"] = etag(card.version)  # of the new card
    return reply


@router.post(
    "/cards/{card_id}/reissue",
    status_code=201,
    openapi_extra=created("/v1/cards/{id}"),
    response_model=CardRead,
    tags=["cards"],
    summary="遗失补办 / Reissue after loss",
)
async def reissue_card(
    card_id: CardId,
    body: CardReissue,
    write: OfficialWrite,
    precondition: IfMatch,
) -> object:
    ctx, idempotent = write
    card = await service.reissue_card(ctx, card_id, precondition)
    reply = await idempotent.respond(await card_read(ctx, card), status_code=201)
    reply.headers["ETag"] = etag(card.version)  # of the new card
    return reply


@router.post(
    "/cards/{card_id}/change",
    status_code=201,
    openapi_extra=created("/v1/cards/{id}"),
    response_model=CardRead,
    tags=["cards"],
    summary="类别/等级变更(新证号)/ Change of category or grade (new number)",
)
async def change_card(
    card_id: CardId,
    body: CardChange,
    write: OfficialWrite,
    precondition: IfMatch,
) -> object:
    ctx, idempotent = write
    card = await service.change_card(ctx, card_id, body, precondition)
    reply = await idempotent.respond(await card_read(ctx, card), status_code=201)
    reply.headers["ETag"] = etag(card.version)  # of the new card
    return reply


@router.post(
    "/cards/{card_id}/transfer",
    response_model=CardRead,
    tags=["cards"],
    summary="迁移到其他地区 / Transfer to another region",
)
async def transfer_card(
    card_id: CardId,
    body: CardTransfer,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> CardRead:
    card = await service.transfer_card(ctx, card_id, body, precondition)
    response.headers["ETag"] = etag(card.version)
    # The card may now lie outside the caller's scope: answer without a scope check.
    persons = await holders_of(ctx.session, [card])
    return card_view(ctx.pii, card, persons[card.person_id])


@router.post(
    "/cards/{card_id}/cancel",
    response_model=CardRead,
    tags=["cards"],
    summary="注销(死亡、康复、出国定居)/ Cancel: death, recovery, emigration",
)
async def cancel_card(
    card_id: CardId,
    body: CardCancel,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> CardRead:
    card = await service.cancel_card(ctx, card_id, body, precondition)
    response.headers["ETag"] = etag(card.version)
    return await card_read(ctx, card)


@router.post(
    "/cards/{card_id}/expire",
    response_model=CardRead,
    tags=["cards"],
    summary="将已过有效期的一张证置为过期 / Mark one card past its validity expired",
)
async def expire_card(
    card_id: CardId, ctx: OfficialContext, precondition: IfMatch, response: Response
) -> CardRead:
    card = await expiry.expire_card(ctx, card_id, precondition)
    response.headers["ETag"] = etag(card.version)
    return await card_read(ctx, card)


@router.post(
    "/cards/expire-due",
    response_model=ExpiryRun,
    tags=["cards"],
    summary="将已过有效期的证件置为过期 / Mark cards past their validity expired",
)
async def expire_due(write: OfficialWrite) -> Response:
    ctx, idempotent = write
    expired, today = await expiry.expire_due_cards(ctx)
    return await idempotent.respond(ExpiryRun(expired=expired, today=today), status_code=200)
