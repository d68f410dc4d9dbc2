"""Snapshots for reconciliation on a real PostgreSQL."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.cards.settings import CardsSettings
from canlian.testing.services import bearer, if_match
from tests.cards.conftest import QILIHE, Desk, make_citizen_id, outbox_events

pytestmark = pytest.mark.postgres


async def test_snapshots_for_reconciliation_match_the_last_events_and_hold_nothing_personal(
    desk: Desk, cards_app: FastAPI, client: httpx.AsyncClient, cards_settings: CardsSettings
) -> None:
    citizen_id = make_citizen_id(50)
    card = await desk.card_for(citizen_id, category=3, grade=4)
    moved = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": "620102004001"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert moved.status_code == 200
    snapshots = await desk.client.get("/v1/card-snapshots", headers=desk.headers)
    assert snapshots.status_code == 200
    assert citizen_id not in snapshots.text
    (snapshot,) = snapshots.json()["items"]
    last = [
        e for e in await outbox_events(cards_app) if e.type.startswith("cn.canlian.cards.card.")
    ][-1]
    expected = {key: value for key, value in last.data.items() if key != "previous_division_code"}
    # The answer names the event's integer ids as strings, as every cards answer does.
    assert snapshot == {
        key: str(value) if key.endswith("_id") and value is not None else value
        for key, value in expected.items()
    }
    applications = await desk.client.get(
        "/v1/application-snapshots", params={"within": "620102"}, headers=desk.headers
    )
    assert [item["status"] for item in applications.json()["items"]] == ["issued"]
    other = bearer(cards_settings, region=QILIHE)
    assert (await desk.client.get("/v1/card-snapshots", headers=other)).json()["items"] == []
