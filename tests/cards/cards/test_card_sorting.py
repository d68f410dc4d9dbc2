"""A card list in another order (`sort`), page by page, on a real PostgreSQL."""

from datetime import date

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from canlian.cards.cards.models import Card
from canlian.testing.services import runtime_of
from tests.cards.conftest import Desk, make_citizen_id

pytestmark = pytest.mark.postgres


async def _all(desk: Desk, **params: str) -> list[int]:
    ids: list[int] = []
    query = {"limit": "1", **params}
    while True:
        page = await desk.client.get("/v1/cards", params=query, headers=desk.headers)
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            return ids
        query["cursor"] = page.json()["next_cursor"]


async def test_cards_by_the_date_they_run_out_either_way(desk: Desk, cards_app: FastAPI) -> None:
    cards = [await desk.card_for(make_citizen_id(800 + n)) for n in range(3)]
    ids = [card["id"] for card in cards]
    ends = {ids[0]: date(2031, 5, 1), ids[1]: date(2029, 5, 1), ids[2]: date(2030, 5, 1)}
    async with runtime_of(cards_app).database.session() as session:
        for card_id, valid_until in ends.items():
            await session.execute(
                update(Card).where(Card.id == int(card_id)).values(valid_until=valid_until)
            )
        await session.commit()
    assert await _all(desk) == ids
    assert await _all(desk, sort="-id") == ids[::-1]
    assert await _all(desk, sort="valid_until") == [ids[1], ids[2], ids[0]]
    assert await _all(desk, sort="-valid_until") == [ids[0], ids[2], ids[1]]


async def test_an_unknown_sort_or_a_cursor_of_another_sort_is_refused(desk: Desk) -> None:
    for n in range(2):
        await desk.card_for(make_citizen_id(810 + n))
    unknown = await desk.client.get("/v1/cards", params={"sort": "name"}, headers=desk.headers)
    assert unknown.status_code == 422
    assert unknown.json()["type"].endswith("/unknown-sort")
    assert "valid_until" in unknown.json()["detail"]
    first = await desk.client.get(
        "/v1/cards", params={"limit": "1", "sort": "valid_until"}, headers=desk.headers
    )
    cursor = first.json()["next_cursor"]
    other = await desk.client.get(
        "/v1/cards",
        params={"limit": "1", "sort": "-valid_until", "cursor": cursor},
        headers=desk.headers,
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("/invalid-cursor")
