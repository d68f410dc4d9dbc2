"""Domain rules of cards: issue for an approved application, then replace, reissue, change,
transfer and cancel. At most one valid card per person: the person row is locked before
every step that creates a card, and the partial unique index decides any race that remains.
A transfer to a division outside the caller's scope is a request the receiving county
decides (`transfers/`); while one is open the card's steps wait for it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from canlian.cards.applications.service import application_in_scope, fulfil
from canlian.cards.applications.state_machine import ApplicationAction, next_application_status
from canlian.cards.cards import repository
from canlian.cards.cards.models import Card
from canlian.cards.cards.number import card_number
from canlian.cards.cards.problems import (
    ApplicationOfAnotherPerson,
    CardHasOpenTransferRequest,
    GenerationDowngrade,
    NoChange,
    NothingToReplace,
    PersonHasValidCard,
    PersonHasValidCardElsewhere,
    SameRegion,
    TransferRequestRequired,
    ValidCardIssuedConcurrently,
)
from canlian.cards.cards.schemas import CardCancel, CardChange, CardIssue, CardReplace, CardTransfer
from canlian.cards.cards.snapshot import card_snapshot
from canlian.cards.cards.state_machine import RENEWAL_WINDOW_DAYS, CardAction, next_card_status
from canlian.cards.context import Context
from canlian.cards.dates import add_years, check_date
from canlian.cards.persons import repository as persons_repository
from canlian.cards.persons.models import Person
from canlian.cards.persons.service import person_in_scope
from canlian.cards.regions import ensure_local
from canlian.cards.versioning import touch
from canlian.common.business_day import back_dated
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.cards import (
    CardCancelled,
    CardChanged,
    CardEndReason,
    CardGeneration,
    CardIssued,
    CardReissued,
    CardReplaced,
    CardSource,
    CardStatus,
    CardSuperseded,
    CardTransferred,
)


async def card_in_scope(ctx: Context, card_id: int, *, lock: bool = False) -> Card:
    card = await repository.get_card(ctx.session, card_id, lock=lock)
    if card is None or not ctx.principal.covers(card.division_code):
        raise OutsideScope(what="残疾人证 / card")
    return card


async def _ensure_no_valid_card(ctx: Context, person_id: int) -> None:
    existing = await repository.valid_card_of(ctx.session, person_id)
    if existing is not None:
        if ctx.principal.covers(existing.division_code):
            raise PersonHasValidCard(card_id=existing.id)
        raise PersonHasValidCardElsewhere()


async def _insert_card(ctx: Context, card: Card) -> Card:
    """Insert a card; the partial unique index is the last word on one valid card each."""
    ctx.session.add(card)
    try:
        await ctx.session.flush()
    except IntegrityError:
        # A concurrent request issued a card first (possible where row locks are absent).
        raise ValidCardIssuedConcurrently() from None
    return card


def new_card(
    ctx: Context,
    person: Person,
    *,
    category: int,
    grade: int,
    generation: CardGeneration,
    issued_on: date,
    valid_until: date,
    home_visit: bool,
    application_id: int | None = None,
    previous: Card | None = None,
    division_code: str | None = None,
    source: CardSource = CardSource.APPLICATION,
) -> Card:
    holder = ctx.pii.decrypt(person.citizen_id_encrypted)
    now = utcnow()
    status = CardStatus.VALID if valid_until >= ctx.today() else CardStatus.EXPIRED
    return Card(
        person_id=person.id,
        application_id=application_id,
        previous_card_id=previous.id if previous else None,
        number_index=ctx.pii.index(card_number(holder, category, grade)),
        division_code=division_code or person.residence_division_code,
        status=status.value,
        category=category,
        grade=grade,
        generation=generation.value,
        issued_on=issued_on,
        valid_until=valid_until,
        source=source.value,
        home_visit=home_visit,
        version=1,
        created_at=now,
        updated_at=now,
    )


async def issue_card(
    ctx: Context, application_id: int, data: CardIssue, precondition: Precondition
) -> Card:
    application = await application_in_scope(ctx, application_id)
    ctx.principal.ensure_covers(application.division_code)
    # Locks in one order everywhere: person, then card, then application.
    person = await person_in_scope(ctx, application.person_id, lock=True)
    application = await application_in_scope(ctx, application_id, lock=True)
    precondition.check(application.version)
    target = next_application_status(application.status, ApplicationAction.ISSUE)
    await _ensure_no_valid_card(ctx, person.id)
    assert application.category is not None
    assert application.grade is not None
    today = ctx.today()
    card = await _insert_card(
        ctx,
        new_card(
            ctx,
            person,
            category=application.category,
            grade=application.grade,
            generation=data.generation,
            issued_on=today,
            valid_until=add_years(today, ctx.settings.card_validity_years),
            home_visit=application.home_visit,
            application_id=application.id,
            division_code=application.division_code,
        ),
    )
    await fulfil(ctx, application, target, card.id)
    await ctx.outbox.add(ctx.session, CardIssued(**card_snapshot(card)))
    return card


async def _supersede(ctx: Context, card: Card, target: CardStatus, reason: CardEndReason) -> None:
    card.status = target.value
    card.end_reason = reason.value
    card.ended_on = ctx.today()
    touch(card)
    # Flushed before the successor is inserted, so the partial unique index sees one valid card.
    await ctx.session.flush()


async def _link_successor(ctx: Context, old: Card, new: Card) -> None:
    old.superseded_by_card_id = new.id
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, CardSuperseded(**card_snapshot(old)))


async def lock_card_and_holder(ctx: Context, card_id: int, person_id: int) -> tuple[Card, Person]:
    """The card read again under its row lock, and its holder locked before it, as issuing
    locks them, so that concurrent steps queue in one order. No scope check: the caller has
    authorised the step already."""
    person = await persons_repository.get_person(ctx.session, person_id, lock=True)
    assert person is not None
    locked = await repository.get_card(ctx.session, card_id, lock=True)
    assert locked is not None
    return locked, person


async def locked_card_and_holder(
    ctx: Context, card_id: int, precondition: Precondition, *, while_transfer_open: bool = False
) -> tuple[Card, Person]:
    """The card, locked and at the version the caller read, and its holder. While a transfer
    request is open the card waits for the receiving county's decision: every step but
    expiry (`while_transfer_open`, a date and no decision) is refused, naming the request."""
    card = await card_in_scope(ctx, card_id)
    ctx.principal.ensure_covers(card.division_code)
    locked, person = await lock_card_and_holder(ctx, card.id, card.person_id)
    precondition.check(locked.version)
    if locked.transfer_request_id is not None and not while_transfer_open:
        raise CardHasOpenTransferRequest(
            card_id=locked.id, transfer_request_id=locked.transfer_request_id
        )
    return locked, person


async def replace_card(
    ctx: Context, card_id: int, data: CardReplace, precondition: Precondition
) -> Card:
    card, person = await locked_card_and_holder(ctx, card_id, precondition)
    target = next_card_status(card.status, CardAction.REPLACE)
    current = CardGeneration(card.generation)
    if current is CardGeneration.SMART and data.generation is CardGeneration.SECOND_GENERATION:
        raise GenerationDowngrade()
    today = ctx.today()
    window_opens = card.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)
    if card.status == CardStatus.VALID and data.generation is current and today < window_opens:
        raise NothingToReplace(valid_until=card.valid_until.isoformat(), window=RENEWAL_WINDOW_DAYS)
    await _supersede(ctx, card, target, CardEndReason.REPLACED)
    new = await _insert_card(
        ctx,
        new_card(
            ctx,
            person,
            category=card.category,
            grade=card.grade,
            generation=data.generation,
            issued_on=today,
            valid_until=add_years(today, ctx.settings.card_validity_years),
            home_visit=False,
            previous=card,
            division_code=card.division_code,
        ),
    )
    await _link_successor(ctx, card, new)
    await ctx.outbox.add(ctx.session, CardReplaced(**card_snapshot(new)))
    return new


async def reissue_card(ctx: Context, card_id: int, precondition: Precondition) -> Card:
    card, person = await locked_card_and_holder(ctx, card_id, precondition)
    target = next_card_status(card.status, CardAction.REISSUE)
    await _supersede(ctx, card, target, CardEndReason.LOST)
    # 补办 keeps the number and the validity of the lost card.
    new = await _insert_card(
        ctx,
        new_card(
            ctx,
            person,
            category=card.category,
            grade=card.grade,
            generation=CardGeneration(card.generation),
            issued_on=ctx.today(),
            valid_until=card.valid_until,
            home_visit=False,
            previous=card,
            division_code=card.division_code,
        ),
    )
    await _link_successor(ctx, card, new)
    await ctx.outbox.add(ctx.session, CardReissued(**card_snapshot(new)))
    return new


async def change_card(
    ctx: Context, card_id: int, data: CardChange, precondition: Precondition
) -> Card:
    card, person = await locked_card_and_holder(ctx, card_id, precondition)
    application = await application_in_scope(ctx, data.application_id, lock=True)
    if application.person_id != card.person_id:
        raise ApplicationOfAnotherPerson(application_id=application.id)
    application_target = next_application_status(application.status, ApplicationAction.ISSUE)
    target = next_card_status(card.status, CardAction.CHANGE)
    assert application.category is not None
    assert application.grade is not None
    if (application.category, application.grade) == (card.category, card.grade):
        raise NoChange(category=card.category, grade=card.grade)
    today = ctx.today()
    await _supersede(ctx, card, target, CardEndReason.CHANGED)
    new = await _insert_card(
        ctx,
        new_card(
            ctx,
            person,
            category=application.category,
            grade=application.grade,
            generation=CardGeneration(card.generation),
            issued_on=today,
            valid_until=add_years(today, ctx.settings.card_validity_years),
            home_visit=application.home_visit,
            application_id=application.id,
            previous=card,
            division_code=card.division_code,
        ),
    )
    await _link_successor(ctx, card, new)
    await fulfil(ctx, application, application_target, new.id)
    await ctx.outbox.add(ctx.session, CardChanged(**card_snapshot(new)))
    return new


def transfer_target(card: Card, division_code: str) -> CardStatus:
    """What a transfer asks of the card and of the place: a state that allows it (409), and
    another division, a county or finer (422). The province is known by the body's type."""
    target = next_card_status(card.status, CardAction.TRANSFER)
    if division_code == card.division_code:
        raise SameRegion(division_code=card.division_code)
    ensure_local(division_code, "division_code", "迁入地")
    return target


async def move_card(ctx: Context, card: Card, person: Person, division_code: str) -> Card:
    """迁移: the card (locked, with its holder) now managed by `division_code`, and the holder
    living there; a direct transfer and an accepted transfer request both end here."""
    target = transfer_target(card, division_code)
    previous = card.division_code
    card.status = target.value
    card.division_code = division_code
    touch(card)
    person.residence_division_code = division_code
    touch(person)
    await ctx.session.flush()
    await ctx.outbox.add(
        ctx.session, CardTransferred(**card_snapshot(card), previous_division_code=previous)
    )
    return card


async def transfer_card(
    ctx: Context, card_id: int, data: CardTransfer, precondition: Precondition
) -> Card:
    """A direct transfer, where the caller manages both ends (within a county, or a city or
    province moving a card between its counties). Anywhere else the receiving county
    decides: the caller is pointed to a transfer request (403)."""
    card, person = await locked_card_and_holder(ctx, card_id, precondition)
    transfer_target(card, data.division_code)
    if not ctx.principal.covers(data.division_code):
        raise TransferRequestRequired(
            division_code=data.division_code,
            scope=ctx.principal.region,
            requests=f"/v1/cards/{card.id}/transfer-requests",
        )
    return await move_card(ctx, card, person, data.division_code)


async def cancel_card(
    ctx: Context, card_id: int, data: CardCancel, precondition: Precondition
) -> Card:
    card, person = await locked_card_and_holder(ctx, card_id, precondition)
    target = next_card_status(card.status, CardAction.CANCEL)
    today = ctx.today()
    ended_on = data.ended_on or today
    check_date(ended_on, card.issued_on, today, "ended_on", "注销日期")
    card.status = target.value
    card.end_reason = CardEndReason(data.reason.value).value
    card.ended_on = ended_on
    touch(card)
    if card.end_reason == CardEndReason.DEATH.value:
        person.died_on = ended_on
        touch(person)
    await ctx.session.flush()
    # A cancellation dated back (a death recorded late) counts from its own date.
    await ctx.outbox.add(
        ctx.session,
        CardCancelled(**card_snapshot(card), effective_on=back_dated(ended_on, today)),
    )
    return card
