"""The questions officials ask, on a real PostgreSQL."""

from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.cards.cards.models import Card
from canlian.cards.settings import CardsSettings
from canlian.testing.services import bearer, runtime_of
from tests.cards.conftest import QILIHE, Desk, make_citizen_id

pytestmark = pytest.mark.postgres


async def test_officials_questions(
    desk: Desk, cards_settings: CardsSettings, cards_app: FastAPI
) -> None:
    waiting_person = await desk.register(make_citizen_id(30))
    waiting = await desk.approved_application(waiting_person["id"])
    await desk.card_for(make_citizen_id(31), category=4, grade=1, generation="second_generation")
    await desk.card_for(make_citizen_id(32), category=1, grade=2, generation="smart")
    await desk.card_for(make_citizen_id(33), category=4, grade=1, generation="smart")
    backlog = (await desk.client.get("/v1/reports/backlog", headers=desk.headers)).json()
    assert [item["id"] for item in backlog["items"]] == [waiting["id"]]
    assert backlog["items"][0]["days_waiting"] >= 0
    second = (await desk.client.get("/v1/reports/second-generation", headers=desk.headers)).json()
    assert [(item["category"], item["grade"]) for item in second["items"]] == [(4, 1)]
    holders = (await desk.client.get("/v1/reports/holders", headers=desk.headers)).json()
    assert holders["total"] == 3
    assert (holders["second_generation"], holders["smart"]) == (1, 2)
    assert {
        (row["category"], row["grade"]): row["holders"] for row in holders["by_category_grade"]
    } == {
        (1, 2): 1,
        (4, 1): 2,
    }
    other = bearer(cards_settings, region=QILIHE)
    assert (await desk.client.get("/v1/reports/holders", headers=other)).json()["total"] == 0
    outside = await desk.client.get(
        "/v1/reports/holders", params={"region": "620103"}, headers=desk.headers
    )
    assert outside.status_code == 403
    # Nothing expires within 30 days; move one card's end close and ask again.
    assert (
        await desk.client.get("/v1/reports/expiring", params={"days": 30}, headers=desk.headers)
    ).json()["items"] == []
    async with runtime_of(cards_app).database.session() as session:
        card = (
            await session.scalars(
                select(Card).where(Card.grade == 2, Card.division_code.startswith("620102"))
            )
        ).one()
        card.valid_until = date.today() + timedelta(days=10)
        card_id = card.id
    expiring = (
        await desk.client.get("/v1/reports/expiring", params={"days": 30}, headers=desk.headers)
    ).json()
    assert [item["id"] for item in expiring["items"]] == [str(card_id)]
