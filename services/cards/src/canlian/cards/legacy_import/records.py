"""The rows a chunk of a register writes: new persons, their cards and the cards' card.issued
events, built as `new_person`, `new_card` and `card_snapshot` build them, as plain records for
set-based writes. Pure computation (encryption, hashing, event JSON), run in a worker thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from canlian.cards.cards.number import card_number
from canlian.cards.context import Context
from canlian.cards.legacy_import.checks import CheckedRow
from canlian.common import citizen_id
from canlian.common.business_day import back_dated
from canlian.common.events.cards import CardIssued, CardSource, CardStatus
from canlian.common.messaging.outbox import PreparedEvents
from canlian.common.personal_data import PersonalDataProtector


@dataclass(frozen=True)
class ChunkWrites:
    persons: list[tuple[object, ...]]  # in BULK_PERSON_COLUMNS order
    cards: list[tuple[object, ...]]  # in BULK_CARD_COLUMNS order
    events: PreparedEvents

    def __len__(self) -> int:
        return len(self.cards)


def chunk_writes(ctx: Context, rows: Sequence[CheckedRow], now: datetime) -> ChunkWrites:
    """Records of rows whose person and card ids are set (`CheckedRow.person_id`, `card_id`)."""
    pii = ctx.pii
    cards: list[tuple[object, ...]] = []
    events: list[CardIssued] = []
    today = ctx.today()
    persons = _person_records(pii, [row for row in rows if row.new_person], now)
    for checked in rows:
        row = checked.row
        person_id = checked.person_id
        assert person_id is not None
        assert checked.card_id
        category, grade = int(row.category), int(row.grade)
        cards.append(
            (
                checked.card_id,
                person_id,
                pii.index(card_number(row.citizen_id, category, grade)),
                row.division_code,
                checked.status.value,
                category,
                grade,
                row.generation.value,
                row.issued_on,
                checked.valid_until,
                CardSource.IMPORT.value,
                False,
                1,
                now,
                now,
            )
        )
        events.append(
            CardIssued(
                card_id=checked.card_id,
                person_id=person_id,
                version=1,
                division_code=row.division_code,
                status=checked.status,
                category=row.category,
                grade=row.grade,
                generation=row.generation,
                issued_on=row.issued_on,
                valid_until=checked.valid_until,
                source=CardSource.IMPORT,
                home_visit=False,
                effective_on=_effective_on(checked, today),
            )
        )
    return ChunkWrites(persons, cards, ctx.outbox.prepare(events))


def _person_records(
    pii: PersonalDataProtector, rows: Sequence[CheckedRow], now: datetime
) -> list[tuple[object, ...]]:
    """The new persons' records, their IDs, names and phones encrypted a column at a time."""
    phones = [row for row in rows if row.row.phone]
    sealed = pii.encrypt_many(
        [row.row.citizen_id for row in rows]
        + [row.row.name.strip() for row in rows]
        + [row.row.phone.strip() for row in phones if row.row.phone]
    )
    ids, names = sealed[: len(rows)], sealed[len(rows) : 2 * len(rows)]
    phone_of = dict(zip((row.number for row in phones), sealed[2 * len(rows) :], strict=True))
    persons: list[tuple[object, ...]] = []
    for checked, sealed_id, sealed_name in zip(rows, ids, names, strict=True):
        row = checked.row
        born = citizen_id.birth_date(row.citizen_id)
        assert born is not None  # CitizenId has checked it
        persons.append(
            (
                checked.person_id,
                sealed_id,
                checked.index,
                sealed_name,
                phone_of.get(checked.number),
                citizen_id.sex(row.citizen_id),
                born,
                row.division_code,
                1,
                now,
                now,
            )
        )
    return persons


def _effective_on(checked: CheckedRow, today: date) -> date | None:
    """The card's own date: valid from its issue date, or, when it has expired already, since
    the day after its validity (the metrics count it valid from issue to expiry)."""
    if checked.status is CardStatus.VALID:
        return back_dated(checked.row.issued_on, today)
    return back_dated(checked.valid_until + timedelta(days=1), today)
