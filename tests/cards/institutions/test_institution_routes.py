"""Designated assessment institutions on a real PostgreSQL."""

from datetime import date

import pytest

from canlian.cards.settings import CardsSettings
from canlian.testing.services import bearer, if_match
from tests.cards.conftest import APPLIED_ON, Desk, make_citizen_id

pytestmark = pytest.mark.postgres


async def test_assessment_needs_an_institution_designated_for_the_applicants_region(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    person = await desk.register(make_citizen_id(70))
    application = await desk.apply(person["id"], applied_on=APPLIED_ON)
    city = bearer(cards_settings, region="620100000000", subject="city-clerk")
    provincial = await desk.client.post(
        "/v1/institutions",
        json={"name": "兰州市第二人民医院", "division_code": "620100"},
        headers=city,
    )
    assert provincial.status_code == 201
    neighbour = await desk.client.post(
        "/v1/institutions",
        json={"name": "七里河区医院", "division_code": "620103"},
        headers=city,
    )
    body = {
        "assessor": "王医生",
        "assessed_on": date.today().isoformat(),
        "category": 2,
        "grade": 2,
    }
    path = f"/v1/applications/{application['id']}/assessment"
    read = await if_match(desk.client, f"/v1/applications/{application['id']}", desk.headers)
    wrong = await desk.client.post(
        path, json={**body, "institution_id": neighbour.json()["id"]}, headers=read
    )
    assert wrong.status_code == 422
    assert wrong.json()["type"].endswith("/institution-not-designated")
    # The county clerk sees the city's institution but not the neighbouring county's.
    listed = await desk.client.get("/v1/institutions", headers=desk.headers)
    assert [item["name"] for item in listed.json()["items"]] == ["兰州市第二人民医院"]
    revoked = await desk.client.post(
        f"/v1/institutions/{provincial.json()['id']}/revoke", headers=city
    )
    assert revoked.json()["active"] is False
    withdrawn = await desk.client.post(
        path, json={**body, "institution_id": provincial.json()["id"]}, headers=read
    )
    assert withdrawn.status_code == 422
    own = await desk.assess(application["id"], category=2, grade=2)
    assert own.status_code == 200
    assert own.json()["institution"] == "县人民医院"
    duplicate = await desk.client.post(
        "/v1/institutions",
        json={"name": "县人民医院", "division_code": "620102"},
        headers=desk.headers,
    )
    assert duplicate.status_code == 409
