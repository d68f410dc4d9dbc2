"""A card cancelled for death ends the person: no new application afterwards."""

import pytest

from canlian.testing.services import if_match
from tests.cards.conftest import Desk, make_citizen_id

pytestmark = pytest.mark.postgres


async def test_no_application_after_a_card_was_cancelled_for_death(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(931))
    cancelled = await desk.client.post(
        f"/v1/cards/{card['id']}/cancel",
        json={"reason": "death", "ended_on": card["issued_on"]},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert cancelled.status_code == 200, cancelled.text
    again = await desk.client.post(
        "/v1/applications", json={"person_id": card["person_id"]}, headers=desk.headers
    )
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/person-deceased")
    assert card["issued_on"] in again.json()["detail"]


async def test_a_card_cancelled_for_recovery_leaves_the_person_free_to_apply(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(932))
    cancelled = await desk.client.post(
        f"/v1/cards/{card['id']}/cancel",
        json={"reason": "recovery"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert cancelled.status_code == 200, cancelled.text
    again = await desk.client.post(
        "/v1/applications", json={"person_id": card["person_id"]}, headers=desk.headers
    )
    assert again.status_code == 201, again.text
