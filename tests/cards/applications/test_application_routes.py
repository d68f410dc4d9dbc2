"""The applications API on a real PostgreSQL: from application to a smart card, and the rules
of submission, assessment and review."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.testing.services import if_match
from tests.cards.conftest import APPLIED_ON, Desk, make_citizen_id, outbox_events

pytestmark = pytest.mark.postgres


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
    types = [event.type for event in await outbox_events(cards_app)]
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
        headers={
            **await if_match(desk.client, f"/v1/applications/{application['id']}", desk.headers),
            "Accept-Language": "en",
        },
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
        headers=await if_match(desk.client, f"/v1/applications/{application['id']}", desk.headers),
    )
    assert rejected.status_code == 422
    assert rejected.json()["type"].endswith("/rejection-needs-reason")
    with_reason = await desk.client.post(
        f"/v1/applications/{application['id']}/review",
        json={"decision": "reject", "reason": "评定材料不全"},
        headers=await if_match(desk.client, f"/v1/applications/{application['id']}", desk.headers),
    )
    assert with_reason.json()["status"] == "rejected"
    assert with_reason.json()["allowed_actions"] == []
