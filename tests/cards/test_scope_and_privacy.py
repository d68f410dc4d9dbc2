"""Across the whole cards API on a real PostgreSQL: writes outside the caller's region are
refused, absent and out-of-scope objects answer alike, and no citizen ID leaves the service."""

import json
import logging

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.testing.services import bearer, if_match, runtime_of
from tests.cards.conftest import CHENGGUAN, QILIHE, Desk, make_citizen_id, outbox_events

pytestmark = pytest.mark.postgres


async def test_writes_outside_the_region_are_refused_and_nothing_is_written(
    desk: Desk, cards_settings: CardsSettings, cards_app: FastAPI
) -> None:
    response = await desk.client.post(
        "/v1/persons",
        json={
            "citizen_id": make_citizen_id(20),
            "name": "x",
            "residence_division_code": "330604000000",
        },
        headers=desk.headers,
    )
    assert response.status_code == 403
    async with runtime_of(cards_app).database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Person)
            .where(Person.residence_division_code.startswith("3306"))
        )
    assert count == 0


async def test_no_event_carries_the_citizen_id_name_or_card_number(
    desk: Desk, cards_app: FastAPI, client: httpx.AsyncClient
) -> None:
    citizen_id = make_citizen_id(22)
    card = await desk.card_for(citizen_id)
    reissued = await desk.client.post(
        f"/v1/cards/{card['id']}/reissue",
        json={},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert reissued.status_code == 201
    events = await outbox_events(cards_app)
    assert [event.type.rsplit(".", 2)[-2:] for event in events][-2:] == [
        ["card", "superseded"],
        ["card", "reissued"],
    ]
    for event in events:
        text = event.model_dump_json()
        assert citizen_id not in text
        assert citizen_id[:17] not in text
        assert "张三丰" not in text
        assert event.data["division_code"].startswith("620102")
        assert event.data["version"] >= 1
    issued = next(event for event in events if event.type.endswith("card.issued"))
    assert str(issued.data["card_id"]) == card["id"]
    assert issued.data["category"] == 4
    assert issued.data["generation"] == "smart"


async def test_the_citizen_id_appears_in_no_response_and_no_log_line(
    desk: Desk, caplog: pytest.LogCaptureFixture, portal: dict[str, str]
) -> None:
    citizen_id = make_citizen_id(23)
    caplog.set_level(logging.DEBUG)
    bodies: list[str] = []
    person = await desk.register(citizen_id, name="欧阳娜娜")
    bodies.append(json.dumps(person, ensure_ascii=False))
    application = await desk.approved_application(person["id"])
    bodies.append(json.dumps(application, ensure_ascii=False))
    card = (await desk.issue(application["id"])).json()
    bodies.append(json.dumps(card, ensure_ascii=False))
    for path in [
        f"/v1/persons/{person['id']}",
        f"/v1/cards/{card['id']}",
        "/v1/cards",
        "/v1/reports/second-generation",
        f"/v1/persons/{person['id']}/cards",
    ]:
        bodies.append((await desk.client.get(path, headers=desk.headers)).text)
    until = {"valid_until": card["valid_until"]}
    verified = await desk.client.get(
        f"/v1/verifications/{citizen_id}42", params=until, headers=portal
    )
    assert verified.json() == {"valid": True}
    bodies.append(verified.text)
    duplicate = await desk.client.post(
        "/v1/persons",
        json={"citizen_id": citizen_id, "name": "x", "residence_division_code": CHENGGUAN},
        headers=desk.headers,
    )
    bodies.append(duplicate.text)
    for body in bodies:
        assert citizen_id not in body
        assert "欧阳娜娜" not in body
    # httpx's own records are the test client's, not the service's.
    service_records = [record for record in caplog.records if record.name != "httpx"]
    assert any(record.name == "canlian.access" for record in service_records)
    for record in service_records:
        line = record.getMessage() + repr(record.__dict__)
        assert citizen_id not in line
        assert "欧阳娜娜" not in line


async def test_absent_and_out_of_scope_objects_answer_alike(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    card = await desk.card_for(make_citizen_id(60))
    other_county = bearer(cards_settings, region=QILIHE)
    for kind, existing in [
        ("cards", card["id"]),
        ("persons", card["person_id"]),
        ("applications", card["application_id"]),
    ]:
        hidden = await desk.client.get(f"/v1/{kind}/{existing}", headers=other_county)
        absent = await desk.client.get(f"/v1/{kind}/{int(existing) + 10_000}", headers=other_county)
        assert hidden.status_code == absent.status_code == 404
        assert hidden.json()["detail"] == absent.json()["detail"]
        assert hidden.json()["type"] == absent.json()["type"]
