"""A card's life as the metrics service receives it: through the outbox and the relay to a real
Kafka broker (on PostgreSQL) and to the embedded log (on SQLite), in order, state-carrying,
and without the citizen ID, the name or the card number."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from canlian.cards.app import create_app, service_descriptor
from canlian.cards.applications.models import Application
from canlian.cards.cards.models import Card
from canlian.cards.institutions.models import Institution
from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.cards.transfers.models import TransferRequest
from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.common.events import cards as card_events
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.bus import make_subscriber
from canlian.testing.services import api_client, bearer, if_match, rebuild_schema, runtime_of
from tests.cards.conftest import Desk, make_citizen_id

UXIN = "150626000000"  # 乌审旗: this test commits, so it keeps to a county of its own
UXIN_VILLAGE = "150626100001"


@dataclass
class Wired:
    transport: str
    settings: CardsSettings
    app: FastAPI


async def _purge(app: FastAPI) -> None:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        await session.execute(
            delete(TransferRequest).where(TransferRequest.from_division_code.startswith("1506"))
        )
        await session.execute(delete(Card).where(Card.division_code.startswith("1506")))
        await session.execute(
            delete(Application).where(Application.division_code.startswith("1506"))
        )
        await session.execute(
            delete(Person).where(Person.residence_division_code.startswith("1506"))
        )
        await session.execute(
            delete(Institution).where(Institution.division_code.startswith("1506"))
        )
        await session.execute(delete(runtime.tables.outbox))


@pytest.fixture(params=["kafka", "embedded"])
async def wired(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Wired]:
    if request.param == "kafka":
        bootstrap: str = request.getfixturevalue("kafka_bootstrap")
        base: CardsSettings = request.getfixturevalue("cards_settings")
        settings = base.model_copy(update={"kafka_bootstrap_servers": bootstrap})
        await upgrade(service_descriptor, settings)  # no-op when the session built it already
    else:
        settings = CardsSettings(canlian_data_dir=tmp_path)
        await rebuild_schema(service_descriptor, settings)
    app = create_app(settings)
    runtime = runtime_of(app)
    await _purge(app)
    await runtime.publisher.start()
    try:
        yield Wired(request.param, settings, app)
    finally:
        await _purge(app)
        await runtime.publisher.stop()
        await runtime.database.dispose()


async def _collect(wired: Wired, until: set[str]) -> list[CloudEvent]:
    subscriber = make_subscriber(wired.settings, f"test-{uuid.uuid4()}", [card_events.TOPIC])
    await subscriber.start()
    seen: list[CloudEvent] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    try:
        while loop.time() < deadline and not until <= {event.id for event in seen}:
            for message in await subscriber.poll(500, 0.5):
                assert message.topic == card_events.TOPIC
                raw = message.value.decode()
                assert make_citizen_id(601, area="150626") not in raw
                seen.append(CloudEvent.model_validate_json(raw))
    finally:
        await subscriber.stop()
    return [event for event in seen if event.id in until]


@pytest.mark.postgres
@pytest.mark.kafka
async def test_a_cards_life_reaches_the_bus_in_order_and_without_personal_data(
    wired: Wired,
) -> None:
    headers = bearer(wired.settings, roles=[auth.OFFICIAL], region=UXIN)
    citizen_id = make_citizen_id(601, area="150626")
    async with api_client(wired.app) as client:
        desk = Desk(client, headers, home=UXIN_VILLAGE)
        card = await desk.card_for(citizen_id, category=6, grade=2, generation="second_generation")
        second = await desk.approved_application(card["person_id"], category=6, grade=1)
        # Second valid card refused on this dialect too; the change makes the new one.
        assert (await desk.issue(second["id"])).status_code == 409
        changed = await client.post(
            f"/v1/cards/{card['id']}/change",
            json={"application_id": second["id"]},
            headers=await if_match(client, f"/v1/cards/{card['id']}", headers),
        )
        assert changed.status_code == 201, changed.text
        new_id = changed.json()["id"]
        # To the next county: asked here, accepted there.
        asked = await client.post(
            f"/v1/cards/{new_id}/transfer-requests",
            json={"division_code": "150627000000", "reason": "户籍迁入伊金霍洛旗"},
            headers=headers,
        )
        assert asked.status_code == 201, asked.text
        receiving = bearer(wired.settings, roles=[auth.OFFICIAL], region="150627000000")
        request_url = f"/v1/transfer-requests/{asked.json()['id']}"
        moved = await client.post(
            f"{request_url}/accept", headers=await if_match(client, request_url, receiving)
        )
        assert moved.status_code == 200, moved.text
    runtime = runtime_of(wired.app)
    async with runtime.database.session() as session:
        rows = await session.execute(
            runtime.tables.outbox.select().order_by(runtime.tables.outbox.c.seq)
        )
        written = [CloudEvent.model_validate_json(row.envelope) for row in rows]
    assert await runtime.relay.publish_pending() == len(written)

    received = await _collect(wired, {event.id for event in written})
    # v2 of each, and, while the migration period lasts, v1 beside it with the same id.
    delivered = [event for event in received if event.schema_version == 2]
    earlier = [event for event in received if event.schema_version == 1]
    assert sorted(event.id for event in delivered) == sorted(event.id for event in written)
    assert earlier
    assert {event.id for event in earlier} <= {event.id for event in written}
    assert len(received) == len(delivered) + len(earlier)
    card_history: list[card_events.CardSnapshot] = []
    transfer_steps: list[card_events.TransferRequestSnapshot] = []
    for event in delivered:
        assert "户籍" not in event.to_json()  # a request's reason is free text: never sent
        payload = event.payload()
        if isinstance(payload, card_events.CardSnapshot):
            card_history.append(payload)
        elif isinstance(payload, card_events.TransferRequestSnapshot):
            transfer_steps.append(payload)
    assert [type(e).__name__ for e in transfer_steps] == [
        "CardTransferRequested",
        "CardTransferAccepted",
    ]
    assert [(str(e.card_id), e.version, e.status.value) for e in transfer_steps] == [
        (new_id, 1, "requested"),
        (new_id, 2, "accepted"),
    ]
    # One entity's events share a partition key, so each card's events arrive in order.
    first_card = [e for e in card_history if str(e.card_id) == card["id"]]
    assert [type(e).__name__ for e in first_card] == ["CardIssued", "CardSuperseded"]
    assert [e.version for e in first_card] == [1, 2]
    assert first_card[-1].status is card_events.CardStatus.SUPERSEDED
    assert str(first_card[-1].superseded_by_card_id) == new_id
    new_card = [e for e in card_history if str(e.card_id) == new_id]
    assert [type(e).__name__ for e in new_card] == ["CardChanged", "CardTransferred"]
    transferred = new_card[-1]
    assert isinstance(transferred, card_events.CardTransferred)
    assert (transferred.previous_division_code, transferred.division_code) == (
        UXIN_VILLAGE,
        "150627000000",
    )
    assert (transferred.category, transferred.grade) == (6, 1)
    assert transferred.generation is card_events.CardGeneration.SECOND_GENERATION
    assert transferred.version == 2
