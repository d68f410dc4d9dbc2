"""One open request per card and one decision per request, also when requests race (real
PostgreSQL, real commits). These tests commit, so they keep to two counties of their own
(准格尔旗 150622 sends, 鄂托克前旗 150623 receives) and clean up after."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, or_, select

from canlian.cards.applications.models import Application
from canlian.cards.cards.models import Card
from canlian.cards.institutions.models import Institution
from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.cards.transfers.models import TransferRequest
from canlian.common import auth
from canlian.testing.services import api_client, bearer, runtime_of
from tests.cards.conftest import Desk, make_citizen_id

pytestmark = pytest.mark.postgres

SENDING, RECEIVING = "150622", "150623"
RACERS = 8


async def _clean(app: FastAPI) -> None:
    runtime = runtime_of(app)
    ours = (SENDING, RECEIVING)
    async with runtime.database.session() as session:
        await session.execute(
            delete(TransferRequest).where(TransferRequest.from_division_code.startswith(SENDING))
        )
        await session.execute(
            delete(Card).where(or_(*(Card.division_code.startswith(c) for c in ours)))
        )
        await session.execute(
            delete(Application).where(Application.division_code.startswith(SENDING))
        )
        await session.execute(
            delete(Person).where(or_(*(Person.residence_division_code.startswith(c) for c in ours)))
        )
        await session.execute(
            delete(Institution).where(Institution.division_code.startswith(SENDING))
        )
        outbox = runtime.tables.outbox
        await session.execute(
            delete(outbox).where(
                or_(*(outbox.c.envelope.contains(f'division_code":"{c}') for c in ours))
            )
        )


@pytest.fixture
async def sender(cards_app: FastAPI, cards_settings: CardsSettings) -> AsyncIterator[Desk]:
    headers = bearer(cards_settings, roles=[auth.OFFICIAL], region=SENDING, subject="clerk-s")
    try:
        async with api_client(cards_app) as client:
            yield Desk(client, headers, home=f"{SENDING}100001")
    finally:
        await _clean(cards_app)


@pytest.fixture
def receiver(cards_settings: CardsSettings) -> dict[str, str]:
    return bearer(cards_settings, roles=[auth.OFFICIAL], region=RECEIVING, subject="clerk-r")


async def _ask(client: httpx.AsyncClient, card_id: int, headers: dict[str, str]) -> httpx.Response:
    return await client.post(
        f"/v1/cards/{card_id}/transfer-requests",
        json={"division_code": f"{RECEIVING}000000", "reason": "户籍迁入鄂托克前旗"},
        headers=headers,
    )


async def test_racing_requests_for_one_card_give_one_open_request(
    sender: Desk, cards_app: FastAPI
) -> None:
    card = await sender.card_for(make_citizen_id(801, area=SENDING))
    replies = await asyncio.gather(
        *(_ask(sender.client, card["id"], sender.headers) for _ in range(RACERS))
    )
    assert Counter(reply.status_code for reply in replies) == {201: 1, 409: RACERS - 1}
    created = next(reply.json() for reply in replies if reply.status_code == 201)
    for reply in replies:
        if reply.status_code == 409:
            assert reply.json()["type"].endswith("/transfer-request-open")
    async with runtime_of(cards_app).database.session() as session:
        stored = list(
            await session.scalars(
                select(TransferRequest).where(TransferRequest.card_id == int(card["id"]))
            )
        )
        held = await session.get(Card, int(card["id"]))
    assert [str(row.id) for row in stored] == [created["id"]]
    assert held is not None
    assert str(held.transfer_request_id) == created["id"]


async def test_an_acceptance_racing_a_withdrawal_decides_once(
    sender: Desk, receiver: dict[str, str], cards_app: FastAPI
) -> None:
    for number in range(802, 806):
        card = await sender.card_for(make_citizen_id(number, area=SENDING))
        asked = await _ask(sender.client, card["id"], sender.headers)
        assert asked.status_code == 201, asked.text
        url = f"/v1/transfer-requests/{asked.json()['id']}"
        # `*`: the version is no arbiter here, the request's state is.
        accept, withdraw, accept_again = await asyncio.gather(
            sender.client.post(f"{url}/accept", headers={**receiver, "If-Match": "*"}),
            sender.client.post(
                f"{url}/withdraw", json={}, headers={**sender.headers, "If-Match": "*"}
            ),
            sender.client.post(f"{url}/accept", headers={**receiver, "If-Match": "*"}),
        )
        codes = [accept.status_code, withdraw.status_code, accept_again.status_code]
        assert sorted(codes) == [200, 409, 409], codes
        winner = "withdrawn" if withdraw.status_code == 200 else "accepted"
        async with runtime_of(cards_app).database.session() as session:
            stored = await session.get(Card, int(card["id"]))
            request = await session.get(TransferRequest, int(asked.json()["id"]))
        assert stored is not None
        assert request is not None
        assert request.status == winner
        assert stored.transfer_request_id is None
        expected = f"{RECEIVING}000000" if winner == "accepted" else card["division_code"]
        assert stored.division_code == expected
        assert stored.version == card["version"] + (1 if winner == "accepted" else 0)
