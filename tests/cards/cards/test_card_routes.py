"""The cards API on a real PostgreSQL: a card through its life."""

from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.cards.cards.models import Card
from canlian.cards.settings import CardsSettings
from canlian.testing.services import bearer, if_match, runtime_of
from tests.cards.conftest import QILIHE, Desk, make_citizen_id

pytestmark = pytest.mark.postgres


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
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert too_early.status_code == 422
    assert too_early.json()["type"].endswith("/nothing-to-replace")
    replaced = await desk.client.post(
        f"/v1/cards/{card['id']}/replace",
        json={"generation": "smart"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
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
        headers=await if_match(desk.client, f"/v1/cards/{smart['id']}", desk.headers),
    )
    assert downgrade.status_code == 422
    reissued = await desk.client.post(
        f"/v1/cards/{smart['id']}/reissue",
        json={},
        headers=await if_match(desk.client, f"/v1/cards/{smart['id']}", desk.headers),
    )
    assert reissued.status_code == 201
    assert reissued.json()["valid_until"] == smart["valid_until"]
    assert reissued.json()["card_number_masked"] == smart["card_number_masked"]
    again = await desk.client.post(
        f"/v1/cards/{smart['id']}/reissue",
        json={},
        headers=await if_match(desk.client, f"/v1/cards/{smart['id']}", desk.headers),
    )
    assert again.status_code == 409
    assert again.json()["state"] == "superseded"


async def test_a_change_to_the_same_assessment_is_refused_and_nothing_changes(
    desk: Desk,
) -> None:
    card = await desk.card_for(make_citizen_id(16), category=4, grade=3)
    same = await desk.approved_application(card["person_id"], category=4, grade=3)
    unchanged = await desk.client.post(
        f"/v1/cards/{card['id']}/change",
        json={"application_id": same["id"]},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
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
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert response.status_code == 201, response.text
    new = response.json()
    assert (new["category"], new["grade"]) == (4, 2)
    assert new["card_number_masked"] == citizen_id[:2] + "*" * 16 + "42"
    assert new["application_id"] == reassessed["id"]
    old = (await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)).json()
    assert (old["status"], old["end_reason"]) == ("superseded", "changed")


async def test_a_direct_transfer_needs_both_ends_in_scope_and_another_division(
    desk: Desk, cards_settings: CardsSettings
) -> None:
    card = await desk.card_for(make_citizen_id(18))
    same = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": card["division_code"]},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert same.status_code == 422
    assert same.json()["type"].endswith("/transfer-to-same-region")
    province = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": "62"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert province.status_code == 422
    assert province.json()["type"].endswith("/division-too-coarse")
    # The service knows codes only: the neutral level words, which fit a banner as well.
    assert "620000000000 是省级区划" in province.json()["detail"]
    assert "县级、乡级或村级" in province.json()["detail"]
    assert "省" in province.json()["detail"]
    # The county cannot place the card in its neighbour: the neighbour accepts a request.
    elsewhere = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": "620103001002"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert elsewhere.status_code == 403
    assert elsewhere.json()["type"].endswith("/transfer-request-required")
    assert elsewhere.json()["transfer_requests"] == f"/v1/cards/{card['id']}/transfer-requests"
    # The city manages both counties: it moves the card at once.
    city = bearer(cards_settings, region="620100000000")
    moved = await desk.client.post(
        f"/v1/cards/{card['id']}/transfer",
        json={"division_code": "620103001002"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", city),
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
    renewed = await desk.client.post(
        f"/v1/cards/{card['id']}/reissue",
        json={},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", new_county),
    )
    assert renewed.status_code == 201
    history = await desk.client.get(f"/v1/persons/{card['person_id']}/cards", headers=new_county)
    assert [item["id"] for item in history.json()["items"]] == [card["id"], renewed.json()["id"]]


async def test_cancel_then_every_action_is_refused(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(19))
    cancelled = await desk.client.post(
        f"/v1/cards/{card['id']}/cancel",
        json={"reason": "death"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
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
            f"/v1/cards/{card['id']}/{action}",
            json=body,
            headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
        )
        assert response.status_code == 409, action
        assert response.json()["state"] == "cancelled"
        assert response.json()["allowed_actions"] == []


async def test_expiry_sweep_marks_overdue_cards_and_the_portal_sees_it(
    desk: Desk, cards_app: FastAPI, portal: dict[str, str]
) -> None:
    citizen_id = make_citizen_id(40)
    card = await desk.card_for(citizen_id, category=5, grade=4)
    async with runtime_of(cards_app).database.session() as session:
        stored = await session.get(Card, int(card["id"]))
        assert stored is not None
        stored.valid_until = date.today() - timedelta(days=3)
    # A card past its date is not valid for a portal even before the sweep.
    past = {"valid_until": (date.today() - timedelta(days=3)).isoformat()}
    before = await desk.client.get(f"/v1/verifications/{citizen_id}54", params=past, headers=portal)
    assert before.json()["valid"] is False
    fresh = await desk.card_for(make_citizen_id(42))
    early = await desk.client.post(
        f"/v1/cards/{fresh['id']}/expire",
        headers=await if_match(desk.client, f"/v1/cards/{fresh['id']}", desk.headers),
    )
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
        f"/v1/cards/{card['id']}/replace",
        json={"generation": "smart"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert renewed.status_code == 201
    new_until = {"valid_until": renewed.json()["valid_until"]}
    verified = await desk.client.get(
        f"/v1/verifications/{citizen_id}54", params=new_until, headers=portal
    )
    assert verified.json()["valid"] is True


async def test_issuing_is_idempotent_with_a_key(desk: Desk, cards_app: FastAPI) -> None:
    person = await desk.register(make_citizen_id(41))
    application = await desk.approved_application(person["id"])
    key = {
        "Idempotency-Key": "issue-41",
        **await if_match(desk.client, f"/v1/applications/{application['id']}", desk.headers),
    }
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
            select(func.count()).select_from(Card).where(Card.person_id == int(person["id"]))
        )
    assert count == 1


async def test_issuing_names_the_version_of_the_application(desk: Desk, cards_app: FastAPI) -> None:
    person = await desk.register(make_citizen_id(42))
    application = await desk.approved_application(person["id"])
    path = f"/v1/applications/{application['id']}"
    missing = await desk.client.post(
        f"{path}/card", json={"generation": "smart"}, headers=desk.headers
    )
    assert missing.status_code == 428, missing.text
    read = await if_match(desk.client, path, desk.headers)
    stale = await desk.client.post(
        f"{path}/card", json={"generation": "smart"}, headers={**read, "If-Match": '"1"'}
    )
    assert stale.status_code == 412, stale.text
    assert stale.headers["ETag"] == read["If-Match"]
    after = await desk.client.get(path, headers=desk.headers)
    assert after.json()["status"] == "approved"
    async with runtime_of(cards_app).database.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Card).where(Card.person_id == int(person["id"]))
        )
    assert count == 0
    issued = await desk.client.post(f"{path}/card", json={"generation": "smart"}, headers=read)
    assert issued.status_code == 201, issued.text


async def test_a_single_overdue_card_can_be_expired_by_hand(desk: Desk, cards_app: FastAPI) -> None:
    card = await desk.card_for(make_citizen_id(61))
    async with runtime_of(cards_app).database.session() as session:
        stored = await session.get(Card, int(card["id"]))
        assert stored is not None
        stored.valid_until = date.today() - timedelta(days=2)
    expired = await desk.client.post(
        f"/v1/cards/{card['id']}/expire",
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert expired.status_code == 200
    assert (expired.json()["status"], expired.json()["version"]) == ("expired", 2)
    again = await desk.client.post(
        f"/v1/cards/{card['id']}/expire",
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert again.status_code == 409
    assert again.json()["allowed_actions"] == ["replace", "cancel"]


async def test_a_card_step_needs_the_etag_of_the_version_it_was_decided_on(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(23))
    url = f"/v1/cards/{card['id']}"
    read = await desk.client.get(url, headers=desk.headers)
    assert read.headers["ETag"] == f'"{card["version"]}"'
    body = {"reason": "death"}
    stale = await desk.client.post(
        f"{url}/cancel", json=body, headers={**desk.headers, "If-Match": '"999"'}
    )
    assert stale.status_code == 412, stale.text
    missing = await desk.client.post(f"{url}/cancel", json=body, headers=desk.headers)
    assert missing.status_code == 428
    assert (await desk.client.get(url, headers=desk.headers)).json()["status"] == "valid"
    cancelled = await desk.client.post(
        f"{url}/cancel", json=body, headers={**desk.headers, "If-Match": read.headers["ETag"]}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.headers["ETag"] == f'"{cancelled.json()["version"]}"' != read.headers["ETag"]
