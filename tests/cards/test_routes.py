"""The cards API on a real PostgreSQL: from application to a smart card and through its life."""

import json
import logging
from datetime import date, timedelta
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.cards.models import Card, Person
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.common.events.base import CloudEvent
from canlian.testing.services import bearer, runtime_of
from tests.cards.conftest import APPLIED_ON, CHENGGUAN, QILIHE, Desk, make_citizen_id

pytestmark = pytest.mark.postgres


async def _outbox(app: FastAPI, client: httpx.AsyncClient) -> list[CloudEvent]:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        rows = await session.execute(
            select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
        )
        return [CloudEvent.model_validate_json(row.envelope) for row in rows]


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
        stored = await session.get(Person, person["id"])
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


async def test_county_takes_an_application_to_a_smart_card(
    desk: Desk, cards_app: FastAPI, client: httpx.AsyncClient
) -> None:
    citizen_id = make_citizen_id(10)
    person = await desk.register(citizen_id)
    application = await desk.apply(
        person["id"], home_visit=True, poor=True, fee_waived=True, applied_on=APPLIED_ON
    )
    assert application["status"] == "submitted"
    assert application["allowed_actions"] == ["assess"]
    assessed = await desk.assess(application["id"], category=1, grade=3)
    assert assessed.json()["status"] == "assessed"
    approved = await desk.approve(application["id"])
    assert approved.json()["status"] == "approved"
    assert approved.json()["reviewer"] == "clerk-cg"
    issued = await desk.issue(application["id"])
    assert issued.status_code == 201
    card = issued.json()
    assert card["status"] == "valid"
    assert card["generation"] == "smart"
    assert (card["category"], card["grade"]) == (1, 3)
    assert card["home_visit"] is True
    assert card["card_number_masked"] == citizen_id[:2] + "*" * 16 + "13"
    issued_on = card["issued_on"]
    assert card["valid_until"] == str(int(issued_on[:4]) + 10) + issued_on[4:]
    fulfilled = await client.get(f"/v1/applications/{application['id']}", headers=desk.headers)
    assert fulfilled.json()["status"] == "issued"
    assert fulfilled.json()["card_id"] == card["id"]
    types = [event.type for event in await _outbox(cards_app, client)]
    assert types == [
        "cn.canlian.cards.application.submitted",
        "cn.canlian.cards.application.assessed",
        "cn.canlian.cards.application.reviewed",
        "cn.canlian.cards.application.fulfilled",
        "cn.canlian.cards.card.issued",
    ]


async def test_issuing_without_an_approved_assessment_is_a_409_naming_state_and_actions(
    desk: Desk,
) -> None:
    person = await desk.register(make_citizen_id(11))
    application = await desk.apply(person["id"], applied_on=APPLIED_ON)
    response = await desk.issue(application["id"])
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"].endswith("/illegal-transition")
    assert problem["state"] == "submitted"
    assert problem["allowed_actions"] == ["assess"]
    assert "已申请" in problem["detail"]
    english = await desk.client.post(
        f"/v1/applications/{application['id']}/card",
        json={},
        headers={**desk.headers, "Accept-Language": "en"},
    )
    assert "submitted" in english.json()["detail"]
    assert "assess" in english.json()["detail"]
    await desk.assess(application["id"])
    assessed_only = await desk.issue(application["id"])
    assert assessed_only.status_code == 409
    assert assessed_only.json()["allowed_actions"] == ["assess", "approve", "reject"]


async def test_category_8_and_grade_0_are_refused(desk: Desk) -> None:
    person = await desk.register(make_citizen_id(12))
    application = await desk.apply(person["id"], applied_on=APPLIED_ON)
    response = await desk.assess(application["id"], category=8, grade=0)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"body.category", "body.grade"}
    again = await desk.client.get(f"/v1/applications/{application['id']}", headers=desk.headers)
    assert again.json()["status"] == "submitted"


async def test_fee_waiver_only_for_poor_applicants_and_rejection_needs_a_reason(
    desk: Desk,
) -> None:
    person = await desk.register(make_citizen_id(13))
    waiver = await desk.client.post(
        "/v1/applications",
        json={"person_id": person["id"], "fee_waived": True},
        headers=desk.headers,
    )
    assert waiver.status_code == 422
    assert waiver.json()["type"].endswith("/fee-waiver-needs-poverty")
    application = await desk.apply(person["id"], applied_on=APPLIED_ON)
    await desk.assess(application["id"])
    rejected = await desk.client.post(
        f"/v1/applications/{application['id']}/review",
        json={"decision": "reject"},
        headers=desk.headers,
    )
    assert rejected.status_code == 422
    assert rejected.json()["type"].endswith("/rejection-needs-reason")
    with_reason = await desk.client.post(
        f"/v1/applications/{application['id']}/review",
        json={"decision": "reject", "reason": "评定材料不全"},
        headers=desk.headers,
    )
    assert with_reason.json()["status"] == "rejected"
    assert with_reason.json()["allowed_actions"] == []


async def test_a_second_first_card_is_refused_pointing_to_change(desk: Desk) -> None:
    citizen_id = make_citizen_id(14)
    card = await desk.card_for(citizen_id)
    second = await desk.approved_application(card["person_id"], category=4, grade=1)
    response = await desk.issue(second["id"])
    assert response.status_code == 409
    assert response.json()["type"].endswith("/person-has-valid-card")
    assert response.json()["card_id"] == card["id"]


async def test_replace_second_generation_by_smart_then_reissue_after_loss(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(15), generation="second_generation")
    too_early = await desk.client.post(
        f"/v1/cards/{card['id']}/replace",
        json={"generation": "second_generation"},
        headers=desk.headers,
    )
    assert too_early.status_code == 422
    assert too_early.json()["type"].endswith("/nothing-to-replace")
    replaced = await desk.client.post(
        f"/v1/cards/{card['id']}/replace", json={"generation": "smart"}, headers=desk.headers
    )
    assert replaced.status_code == 201
    smart = replaced.json()
    assert smart["generation"] == "smart"
    assert smart["previous_card_id"] == card["id"]
    assert smart["card_number_masked"] == card["card_number_masked"]
    old = (await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)).json()
    assert old["status"] == "superseded"
    assert old["end_reason"] == "replaced"
    assert old["superseded_by_card_id"] == smart["id"]
    assert old["allowed_actions"] == []
    downgrade = await desk.client.post(
        f"/v1/cards/{smart['id']}/replace",
        json={"generation": "second_generation"},
        headers=desk.headers,
    )
    assert downgrade.status_code == 422
    reissued = await desk.client.post(
        f"/v1/cards/{smart['id']}/reissue", json={}, headers=desk.headers
    )
    assert reissued.status_code == 201
    assert reissued.json()["valid_until"] == smart["valid_until"]
    assert reissued.json()["card_number_masked"] == smart["card_number_masked"]
    again = await desk.client.post(
        f"/v1/cards/{smart['id']}/reissue", json={}, headers=desk.headers
    )
    assert again.status_code == 409
    assert again.json()["state"] == "superseded"


async def test_a_change_to_the_same_assessment_is_refused_and_nothing_changes(
    desk: Desk,
) -> None:
    card = await desk.card_for(make_citizen_id(16), category=4, grade=3)
    same = await desk.approved_application(card["person_id"], category=4, grade=3)
    unchanged = await desk.client.post(
        f"/v1/cards/{card['id']}/change", json={"application_id": same["id"]}, headers=desk.headers
    )
    assert unchanged.status_code == 422
    assert unchanged.json()["type"].endswith("/no-change")
    still = (await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)).json()
    assert (still["status"], still["version"]) == ("valid", card["version"])
    application = await desk.client.get(f"/v1/applications/{same['id']}", headers=desk.headers)
    assert application.json()["status"] == "approved"


async def test_change_after_reassessment(desk: Desk, cards_app: FastAPI) -> None:
    citizen_id = make_citizen_id(17)
    person = await desk.register(citizen_id)
    first = await desk.approved_application(person["id"], category=4, grade=3)
    card = (await desk.issue(first["id"])).json()
    reassessed = await desk.approved_application(person["id"], category=4, grade=2)
    response = await desk.client.post(
        f"/v1/cards/{card['id']}/change",
        json={"application_id": reassessed["id"]},
        headers=desk.headers,
    )
    assert response.status_code == 201, response.text
    new = response.json()
    assert (new["category"], new["grade"]) == (4, 2)
    assert new["card_number_masked"] == citizen_id[:2] + "*" * 16 + "42"
    assert new["application_id"] == reassessed["id"]
    old = (await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)).json()
    assert (old["status"], old["end_reason"]) == ("superseded", "changed")


async def test_transfer_to_another_region_and_not_to_the_same(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    card = await desk.card_for(make_citizen_id(18))
    same = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": card["division_code"]},
        headers=desk.headers,
    )
    assert same.status_code == 422
    assert same.json()["type"].endswith("/transfer-to-same-region")
    province = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer", json={"division_code": "62"}, headers=desk.headers
    )
    assert province.status_code == 422
    assert province.json()["type"].endswith("/division-too-coarse")
    assert "省" in province.json()["detail"]
    moved = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": "620103001002"},
        headers=desk.headers,
    )
    assert moved.status_code == 200
    assert moved.json()["division_code"] == "620103001002"
    assert moved.json()["version"] == card["version"] + 1
    # The old county no longer sees it; the new one does, and so does the holder record.
    assert (
        await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)
    ).status_code == 404
    new_county = bearer(cards_settings, region=QILIHE)
    assert (await desk.client.get(f"/v1/cards/{card['id']}", headers=new_county)).status_code == 200
    person = await desk.client.get(f"/v1/persons/{card['person_id']}", headers=new_county)
    assert person.json()["residence_division_code"] == "620103001002"
    renewed = await desk.client.post(f"/v1/cards/{card['id']}/reissue", json={}, headers=new_county)
    assert renewed.status_code == 201
    history = await desk.client.get(f"/v1/persons/{card['person_id']}/cards", headers=new_county)
    assert [item["id"] for item in history.json()["items"]] == [card["id"], renewed.json()["id"]]


async def test_cancel_then_every_action_is_refused(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(19))
    cancelled = await desk.client.post(
        f"/v1/cards/{card['id']}/cancel", json={"reason": "death"}, headers=desk.headers
    )
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["end_reason"]) == ("cancelled", "death")
    for action, body in [
        ("replace", {"generation": "smart"}),
        ("reissue", {}),
        ("transfer", {"division_code": QILIHE}),
        ("cancel", {"reason": "recovery"}),
    ]:
        response = await desk.client.post(
            f"/v1/cards/{card['id']}/{action}", json=body, headers=desk.headers
        )
        assert response.status_code == 409, action
        assert response.json()["state"] == "cancelled"
        assert response.json()["allowed_actions"] == []


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


async def test_portal_verifies_a_card_and_learns_nothing_personal(
    desk: Desk, portal: dict[str, str], cards_app: FastAPI
) -> None:
    citizen_id = make_citizen_id(21)
    card = await desk.card_for(citizen_id, category=2, grade=1)
    number = citizen_id + "21"
    verified = await desk.client.get(f"/v1/verifications/{number}", headers=portal)
    assert verified.status_code == 200
    assert verified.json() == {
        "valid": True,
        "category": 2,
        "grade": 1,
        "valid_until": card["valid_until"],
    }
    wrong_grade = await desk.client.get(f"/v1/verifications/{citizen_id}22", headers=portal)
    assert wrong_grade.json()["valid"] is False
    official = await desk.client.get(f"/v1/verifications/{number}", headers=desk.headers)
    assert official.status_code == 403
    malformed = await desk.client.get(f"/v1/verifications/{citizen_id}81", headers=portal)
    assert malformed.status_code == 422
    assert malformed.json()["type"].endswith("/invalid-card-number")
    assert citizen_id not in malformed.text
    too_short = await desk.client.get(f"/v1/verifications/{citizen_id}", headers=portal)
    assert too_short.status_code == 422
    assert citizen_id not in too_short.text
    in_body = await desk.client.post(
        "/v1/verifications", json={"card_number": number}, headers=portal
    )
    assert in_body.json() == verified.json()
    await desk.client.post(
        f"/v1/cards/{card['id']}/cancel", json={"reason": "emigration"}, headers=desk.headers
    )
    after = await desk.client.get(f"/v1/verifications/{number}", headers=portal)
    assert after.json() == {"valid": False, "category": None, "grade": None, "valid_until": None}
    runtime = runtime_of(cards_app)
    audit = runtime.tables.audit_log
    async with runtime.database.session() as session:
        checks = (
            await session.execute(
                select(audit.c.object_id, audit.c.reason)
                .where(audit.c.actor == "bus-portal", audit.c.action == "card.verified")
                .order_by(audit.c.id)
            )
        ).all()
    # Malformed numbers are refused before any look-up, so four checks are on record.
    assert [tuple(row) for row in checks] == [
        (str(card["id"]), "valid"),
        ("-", "not valid"),
        (str(card["id"]), "valid"),
        ("-", "not valid"),
    ]


async def test_no_event_carries_the_citizen_id_name_or_card_number(
    desk: Desk, cards_app: FastAPI, client: httpx.AsyncClient
) -> None:
    citizen_id = make_citizen_id(22)
    card = await desk.card_for(citizen_id)
    reissued = await desk.client.post(
        f"/v1/cards/{card['id']}/reissue", json={}, headers=desk.headers
    )
    assert reissued.status_code == 201
    events = await _outbox(cards_app, client)
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
    assert issued.data["card_id"] == card["id"]
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
    bodies.append((await desk.client.get(f"/v1/verifications/{citizen_id}42", headers=portal)).text)
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
    assert [item["id"] for item in expiring["items"]] == [card_id]


async def test_expiry_sweep_marks_overdue_cards_and_the_portal_sees_it(
    desk: Desk, cards_app: FastAPI, portal: dict[str, str]
) -> None:
    citizen_id = make_citizen_id(40)
    card = await desk.card_for(citizen_id, category=5, grade=4)
    async with runtime_of(cards_app).database.session() as session:
        stored = await session.get(Card, card["id"])
        assert stored is not None
        stored.valid_until = date.today() - timedelta(days=3)
    # A card past its date is not valid for a portal even before the sweep.
    before = await desk.client.get(f"/v1/verifications/{citizen_id}54", headers=portal)
    assert before.json()["valid"] is False
    fresh = await desk.card_for(make_citizen_id(42))
    early = await desk.client.post(f"/v1/cards/{fresh['id']}/expire", headers=desk.headers)
    assert early.status_code == 422
    assert early.json()["type"].endswith("/not-yet-due")
    run = await desk.client.post("/v1/cards/expire-due", headers=desk.headers)
    assert run.json()["expired"] == 1
    expired = (await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)).json()
    assert expired["status"] == "expired"
    assert expired["allowed_actions"] == ["replace", "cancel"]
    second_run = await desk.client.post("/v1/cards/expire-due", headers=desk.headers)
    assert second_run.json()["expired"] == 0
    renewed = await desk.client.post(
        f"/v1/cards/{card['id']}/replace", json={"generation": "smart"}, headers=desk.headers
    )
    assert renewed.status_code == 201
    assert (await desk.client.get(f"/v1/verifications/{citizen_id}54", headers=portal)).json()[
        "valid"
    ] is True


async def test_issuing_is_idempotent_with_a_key(desk: Desk, cards_app: FastAPI) -> None:
    person = await desk.register(make_citizen_id(41))
    application = await desk.approved_application(person["id"])
    key = {"Idempotency-Key": "issue-41"}
    first = await desk.client.post(
        f"/v1/applications/{application['id']}/card",
        json={"generation": "smart"},
        headers={**desk.headers, **key},
    )
    retry = await desk.client.post(
        f"/v1/applications/{application['id']}/card",
        json={"generation": "smart"},
        headers={**desk.headers, **key},
    )
    assert first.status_code == retry.status_code == 201
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert first.json() == retry.json()
    async with runtime_of(cards_app).database.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Card).where(Card.person_id == person["id"])
        )
    assert count == 1


async def test_snapshots_for_reconciliation_match_the_last_events_and_hold_nothing_personal(
    desk: Desk, cards_app: FastAPI, client: httpx.AsyncClient, cards_settings: CardsSettings
) -> None:
    citizen_id = make_citizen_id(50)
    card = await desk.card_for(citizen_id, category=3, grade=4)
    moved = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": "620102004001"},
        headers=desk.headers,
    )
    assert moved.status_code == 200
    snapshots = await desk.client.get("/v1/card-snapshots", headers=desk.headers)
    assert snapshots.status_code == 200
    assert citizen_id not in snapshots.text
    (snapshot,) = snapshots.json()["items"]
    last = [
        e for e in await _outbox(cards_app, client) if e.type.startswith("cn.canlian.cards.card.")
    ][-1]
    expected = {key: value for key, value in last.data.items() if key != "previous_division_code"}
    assert snapshot == expected
    applications = await desk.client.get(
        "/v1/application-snapshots", params={"within": "620102"}, headers=desk.headers
    )
    assert [item["status"] for item in applications.json()["items"]] == ["issued"]
    other = bearer(cards_settings, region=QILIHE)
    assert (await desk.client.get("/v1/card-snapshots", headers=other)).json()["items"] == []


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
        absent = await desk.client.get(f"/v1/{kind}/{existing + 10_000}", headers=other_county)
        assert hidden.status_code == absent.status_code == 404
        assert hidden.json()["detail"] == absent.json()["detail"]
        assert hidden.json()["type"] == absent.json()["type"]


async def test_a_single_overdue_card_can_be_expired_by_hand(desk: Desk, cards_app: FastAPI) -> None:
    card = await desk.card_for(make_citizen_id(61))
    async with runtime_of(cards_app).database.session() as session:
        stored = await session.get(Card, card["id"])
        assert stored is not None
        stored.valid_until = date.today() - timedelta(days=2)
    expired = await desk.client.post(f"/v1/cards/{card['id']}/expire", headers=desk.headers)
    assert expired.status_code == 200
    assert (expired.json()["status"], expired.json()["version"]) == ("expired", 2)
    again = await desk.client.post(f"/v1/cards/{card['id']}/expire", headers=desk.headers)
    assert again.status_code == 409
    assert again.json()["allowed_actions"] == ["replace", "cancel"]


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
    wrong = await desk.client.post(
        path, json={**body, "institution_id": neighbour.json()["id"]}, headers=desk.headers
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
        path, json={**body, "institution_id": provincial.json()["id"]}, headers=desk.headers
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


async def test_contact_details_can_be_corrected(desk: Desk, cards_settings: CardsSettings) -> None:
    person = await desk.register(make_citizen_id(80), name="李雷")
    path = f"/v1/persons/{person['id']}"
    nothing = await desk.client.patch(path, json={}, headers=desk.headers)
    assert nothing.status_code == 422
    renamed = await desk.client.patch(path, json={"name": "韩梅梅"}, headers=desk.headers)
    assert renamed.status_code == 200
    assert (renamed.json()["name_masked"], renamed.json()["phone_masked"]) == (
        "韩**",
        "139****5678",
    )
    assert renamed.json()["version"] == 2
    cleared = await desk.client.patch(path, json={"phone": None}, headers=desk.headers)
    assert cleared.json()["phone_masked"] is None
    other = bearer(cards_settings, region=QILIHE)
    assert (await desk.client.patch(path, json={"name": "x"}, headers=other)).status_code == 404
