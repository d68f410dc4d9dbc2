"""A register larger than one chunk (a province's, in production: a million rows) is checked
and written chunk by chunk with the same results as one read whole: duplicates and errors
across chunks, the report's order, the ids of persons, cards and events, re-import."""

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.cards.cards.models import Card
from canlian.cards.legacy_import import checks, service
from canlian.cards.persons.models import Person
from canlian.common.events.base import CloudEvent
from canlian.testing.services import runtime_of
from tests.cards.conftest import Desk, make_citizen_id
from tests.cards.legacy_import.test_import import _csv, _row, _upload

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _chunks_of_three(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "CHUNK_ROWS", 3)
    monkeypatch.setattr(service, "CHUNK_ROWS", 3)


def _register() -> list[list[str]]:
    """Ten rows, four chunks: a bad card number in the second chunk, row 2's citizen ID again
    in the fourth."""
    rows = [_row(300 + n) for n in range(9)]
    rows[4] = _row(304, card=make_citizen_id(304) + "43")
    rows.append(_row(300))
    return rows


async def _written(app: FastAPI) -> tuple[list[Card], list[Person], list[CloudEvent]]:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        cards = list(
            await session.scalars(select(Card).where(Card.division_code.startswith("620102")))
        )
        persons = list(
            await session.scalars(
                select(Person).where(Person.residence_division_code.startswith("620102"))
            )
        )
        envelopes = (
            await session.scalars(
                select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
            )
        ).all()
    return cards, persons, [CloudEvent.model_validate_json(text) for text in envelopes]


async def test_a_partial_import_across_chunks(desk: Desk, cards_app: FastAPI) -> None:
    response = await _upload(desk, _csv(_register()), all_or_nothing="false")
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["total_rows"], report["valid_rows"], report["imported_rows"]) == (10, 8, 8)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (6, "card_number"),
        (11, "citizen_id"),
    ]
    assert "第 2 行" in report["errors"][1]["reason"]
    cards, persons, events = await _written(cards_app)
    assert len(cards) == len(persons) == len(events) == 8
    by_card = {card.id: card for card in cards}
    assert len(by_card) == 8
    assert {card.person_id for card in cards} == {person.id for person in persons}
    for event in events:
        card = by_card[int(event.subject)]
        assert event.data["person_id"] == str(card.person_id)
        assert (event.data["category"], event.data["grade"]) == (card.category, card.grade)
    # The same file again: every good row is recorded, the two bad ones are refused again.
    again = await _upload(desk, _csv(_register()), all_or_nothing="false")
    assert again.status_code == 201, again.text
    assert (again.json()["imported_rows"], again.json()["unchanged_rows"]) == (0, 8)
    assert again.json()["unchanged"] == [2, 3, 4, 5, 7, 8, 9, 10]
    assert len((await _written(cards_app))[2]) == 8


async def test_an_error_in_the_last_chunk_refuses_the_whole_register(
    desk: Desk, cards_app: FastAPI
) -> None:
    rows = [_row(320 + n) for n in range(7)]
    rows[6] = _row(326, division="330604000000")
    response = await _upload(desk, _csv(rows))
    assert response.status_code == 422
    report = response.json()["report"]
    assert (report["total_rows"], report["invalid_rows"], report["imported_rows"]) == (7, 1, 0)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(8, "division_code")]
    cards, persons, events = await _written(cards_app)
    assert (cards, persons, events) == ([], [], [])
    assert (await _upload(desk, _csv(rows[:6]), dry_run="true")).json()["valid_rows"] == 6


async def test_the_report_lists_the_first_errors_and_counts_them_all(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MAX_REPORTED_ERRORS", 4)
    rows = [_row(340 + n, card=make_citizen_id(340 + n) + "43") for n in range(7)]
    report = (await _upload(desk, _csv(rows), dry_run="true")).json()
    assert report["error_count"] == 7
    assert report["errors_truncated"] is True
    assert [e["row"] for e in report["errors"]] == [2, 3, 4, 5]
