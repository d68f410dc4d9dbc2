"""The persons API on a real PostgreSQL: stored encrypted, shown masked, one record per citizen
ID, look-up by the body, unmasked reads audited, corrections."""

import json
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.testing.services import bearer, if_match, runtime_of
from tests.cards.conftest import CHENGGUAN, QILIHE, Desk, make_citizen_id

pytestmark = pytest.mark.postgres


async def test_a_person_is_stored_encrypted_and_shown_masked(
    desk: Desk, cards_app: FastAPI
) -> None:
    citizen_id = make_citizen_id(1)
    person = await desk.register(citizen_id, name="王小明")
    assert person["citizen_id_masked"] == citizen_id[:2] + "*" * 16
    assert person["name_masked"] == "王**"
    assert person["phone_masked"] == "139****5678"
    assert citizen_id not in json.dumps(person, ensure_ascii=False)
    async with runtime_of(cards_app).database.session() as session:
        stored = await session.get(Person, int(person["id"]))
        assert stored is not None
        assert citizen_id not in stored.citizen_id_encrypted
        assert "王小明" not in stored.name_encrypted


async def test_registering_the_same_citizen_id_twice_is_a_409(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    citizen_id = make_citizen_id(2)
    first = await desk.register(citizen_id)
    again = await desk.client.post(
        "/v1/persons",
        json={"citizen_id": citizen_id, "name": "x", "residence_division_code": CHENGGUAN},
        headers=desk.headers,
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/person-already-registered")
    assert str(first["id"]) in again.json()["detail"]
    elsewhere = await desk.client.post(
        "/v1/persons",
        json={"citizen_id": citizen_id, "name": "x", "residence_division_code": QILIHE},
        headers=bearer(cards_settings, region=QILIHE),
    )
    assert elsewhere.status_code == 409
    assert elsewhere.json()["type"].endswith("/person-registered-elsewhere")
    assert "person_id" not in elsewhere.json()
    assert str(first["id"]) not in elsewhere.json()["detail"]


async def test_a_bad_check_digit_is_refused_with_the_expected_digit(desk: Desk) -> None:
    good = make_citizen_id(3)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response = await desk.client.post(
        "/v1/persons",
        json={"citizen_id": wrong, "name": "x", "residence_division_code": CHENGGUAN},
        headers=desk.headers,
    )
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "校验码" in message
    assert good[17] in message


async def test_lookup_by_citizen_id_goes_in_the_body_and_respects_scope(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    citizen_id = make_citizen_id(4)
    person = await desk.register(citizen_id)
    found = await desk.client.post(
        "/v1/persons/lookup", json={"citizen_id": citizen_id}, headers=desk.headers
    )
    assert found.status_code == 200
    assert found.json()["id"] == person["id"]
    listed = await desk.client.get("/v1/persons", headers=desk.headers)
    assert [item["id"] for item in listed.json()["items"]] == [person["id"]]
    assert citizen_id not in listed.text
    other_county = bearer(cards_settings, region=QILIHE)
    assert (await desk.client.get("/v1/persons", headers=other_county)).json()["items"] == []
    hidden = await desk.client.post(
        "/v1/persons/lookup", json={"citizen_id": citizen_id}, headers=other_county
    )
    assert hidden.status_code == 404
    outside = await desk.client.get(f"/v1/persons/{person['id']}", headers=other_county)
    assert outside.status_code == 404


async def test_unmasked_read_needs_the_scope_and_a_reason_and_is_audited(
    desk: Desk, cards_settings: CardsSettings, cards_app: FastAPI
) -> None:
    citizen_id = make_citizen_id(5)
    person = await desk.register(citizen_id, name="赵敏")
    path = f"/v1/persons/{person['id']}/unmasked"
    no_scope = await desk.client.get(
        path, headers={**desk.headers, "X-Access-Reason": "check the card"}
    )
    assert no_scope.status_code == 403
    privileged = bearer(
        cards_settings,
        region=CHENGGUAN,
        subject="auditor-1",
        scopes=[auth.PERSONAL_DATA_READ],
    )
    no_reason = await desk.client.get(path, headers=privileged)
    assert no_reason.status_code == 422
    assert no_reason.json()["type"].endswith("/reason-required")
    allowed = await desk.client.get(
        path, headers={**privileged, "X-Access-Reason": "check holder identity"}
    )
    assert allowed.status_code == 200
    assert allowed.json()["citizen_id"] == citizen_id
    assert allowed.json()["name"] == "赵敏"
    runtime = runtime_of(cards_app)
    audit = runtime.tables.audit_log
    async with runtime.database.session() as session:
        rows = (await session.execute(select(audit).where(audit.c.actor == "auditor-1"))).all()
    in_chinese = await desk.client.get(
        path, headers={**privileged, "X-Access-Reason": quote("核查残疾人证信息")}
    )
    assert in_chinese.status_code == 200
    async with runtime.database.session() as session:
        rows = (
            await session.execute(
                select(audit).where(audit.c.actor == "auditor-1").order_by(audit.c.id)
            )
        ).all()
    assert [(row.object_id, row.reason, row.object_type) for row in rows] == [
        (str(person["id"]), "check holder identity", "cards.person"),
        (str(person["id"]), "核查残疾人证信息", "cards.person"),
    ]


async def test_contact_details_can_be_corrected(desk: Desk, cards_settings: CardsSettings) -> None:
    person = await desk.register(make_citizen_id(80), name="李雷")
    path = f"/v1/persons/{person['id']}"
    nothing = await desk.client.patch(
        path, json={}, headers=await if_match(desk.client, path, desk.headers)
    )
    assert nothing.status_code == 422
    renamed = await desk.client.patch(
        path, json={"name": "韩梅梅"}, headers=await if_match(desk.client, path, desk.headers)
    )
    assert renamed.status_code == 200
    assert (renamed.json()["name_masked"], renamed.json()["phone_masked"]) == (
        "韩**",
        "139****5678",
    )
    assert renamed.json()["version"] == 2
    assert renamed.headers["ETag"] == '"2"'
    stale = await desk.client.patch(
        path, json={"name": "李雷"}, headers={**desk.headers, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"2"'
    missing = await desk.client.patch(path, json={"name": "李雷"}, headers=desk.headers)
    assert missing.status_code == 428
    read = await desk.client.get(path, headers=desk.headers)
    assert (read.json()["name_masked"], read.headers["ETag"]) == ("韩**", '"2"')
    cleared = await desk.client.patch(
        path, json={"phone": None}, headers=await if_match(desk.client, path, desk.headers)
    )
    assert cleared.json()["phone_masked"] is None
    other = bearer(cards_settings, region=QILIHE)
    assert (await desk.client.patch(path, json={"name": "x"}, headers=other)).status_code == 404
