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
    institution = f"/v1/institutions/{provincial.json()['id']}"
    revoked = await desk.client.post(
        f"{institution}/revoke", headers=await if_match(desk.client, institution, city)
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


async def test_revoking_names_the_version_it_was_made_against(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    city = bearer(cards_settings, region="620100000000", subject="city-clerk")
    created = await desk.client.post(
        "/v1/institutions",
        json={"name": "兰州市康复医院", "division_code": "620100"},
        headers=city,
    )
    institution = f"/v1/institutions/{created.json()['id']}"
    # The county clerk sees the city's institution (it serves the county) with its ETag.
    seen = await desk.client.get(institution, headers=desk.headers)
    assert seen.status_code == 200
    assert seen.headers["ETag"] == f'"{created.json()["version"]}"'
    missing = await desk.client.post(f"{institution}/revoke", headers=city)
    assert missing.status_code == 428, missing.text
    stale = await desk.client.post(f"{institution}/revoke", headers={**city, "If-Match": '"999"'})
    assert stale.status_code == 412, stale.text
    assert stale.headers["ETag"] == seen.headers["ETag"]
    after = await desk.client.get(institution, headers=city)
    assert after.json()["active"] is True
    assert after.headers["ETag"] == seen.headers["ETag"]
    revoked = await desk.client.post(
        f"{institution}/revoke", headers={**city, "If-Match": seen.headers["ETag"]}
    )
    assert revoked.status_code == 200
    assert revoked.headers["ETag"] != seen.headers["ETag"]


async def test_an_institution_outside_the_region_is_not_found(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    other = bearer(cards_settings, region="620103000000", subject="other-clerk")
    created = await desk.client.post(
        "/v1/institutions",
        json={"name": "七里河区康复中心", "division_code": "620103"},
        headers=other,
    )
    seen = await desk.client.get(f"/v1/institutions/{created.json()['id']}", headers=desk.headers)
    assert seen.status_code == 404


async def test_a_designation_names_where_to_read_it_a_replay_too(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    city = {
        **bearer(cards_settings, region="620100000000", subject="city-clerk"),
        "Idempotency-Key": "designate-rehab",
    }
    body = {"name": "兰州市残疾人康复中心", "division_code": "620100"}
    created = await desk.client.post("/v1/institutions", json=body, headers=city)
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"/v1/institutions/{created.json()['id']}"
    read = await desk.client.get(created.headers["Location"], headers=city)
    assert read.json() == created.json()
    replayed = await desk.client.post("/v1/institutions", json=body, headers=city)
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    assert replayed.headers["Location"] == created.headers["Location"]
