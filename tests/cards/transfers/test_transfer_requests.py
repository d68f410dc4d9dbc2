"""A card's transfer to another county as a request the receiving county decides, on a real
PostgreSQL: asked by the county managing the card, accepted (the card moves) or rejected by
the receiving county, withdrawn by the sender; the card waits meanwhile."""

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.cards.cards.models import Card
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.testing.services import bearer, if_match, runtime_of
from tests.cards.conftest import CHENGGUAN, QILIHE, Desk, make_citizen_id, outbox_events

pytestmark = pytest.mark.postgres

QILIHE_VILLAGE = "620103001002"


@pytest.fixture
def receiving(cards_settings: CardsSettings) -> dict[str, str]:
    """A clerk of 七里河区, the county the cards move to."""
    return bearer(cards_settings, roles=[auth.OFFICIAL], region=QILIHE, subject="clerk-qlh")


async def _ask(
    desk: Desk, card_id: int, division_code: str = QILIHE_VILLAGE, **extra: Any
) -> httpx.Response:
    return await desk.client.post(
        f"/v1/cards/{card_id}/transfer-requests",
        json={"division_code": division_code, "reason": "户籍迁入七里河区", **extra},
        headers=desk.headers,
    )


async def _asked(desk: Desk, card_id: int) -> dict[str, Any]:
    response = await _ask(desk, card_id)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _step(
    client: httpx.AsyncClient,
    request_id: int,
    action: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    url = f"/v1/transfer-requests/{request_id}"
    return await client.post(
        f"{url}/{action}",
        json=body,
        headers=await if_match(client, url, headers),
    )


async def test_the_sending_county_asks_and_the_receiving_county_accepts(
    desk: Desk, receiving: dict[str, str], cards_app: FastAPI
) -> None:
    card = await desk.card_for(make_citizen_id(701))
    asked = await _ask(desk, card["id"])
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert asked.headers["ETag"] == '"1"'
    assert {key: request[key] for key in ("card_id", "person_id", "status", "version")} == {
        "card_id": card["id"],
        "person_id": card["person_id"],
        "status": "requested",
        "version": 1,
    }
    assert (request["from_division_code"], request["to_division_code"]) == (
        card["division_code"],
        QILIHE_VILLAGE,
    )
    assert request["allowed_actions"] == ["accept", "reject", "withdraw"]
    assert (request["reason"], request["requested_by"]) == ("户籍迁入七里河区", "clerk-cg")
    assert request["holder_name_masked"] == card["holder_name_masked"]
    assert request["decided_by"] is None
    # Asking changes nothing of the card: it stays, at its version, until accepted.
    still = await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)
    assert (still.json()["division_code"], still.json()["version"]) == (
        card["division_code"],
        card["version"],
    )
    assert (await desk.client.get(f"/v1/cards/{card['id']}", headers=receiving)).status_code == 404

    incoming = await desk.client.get(
        "/v1/transfer-requests/incoming", params={"status": "requested"}, headers=receiving
    )
    assert [item["id"] for item in incoming.json()["items"]] == [request["id"]]
    outgoing = await desk.client.get("/v1/transfer-requests/outgoing", headers=desk.headers)
    assert [item["id"] for item in outgoing.json()["items"]] == [request["id"]]
    for empty, headers in (("incoming", desk.headers), ("outgoing", receiving)):
        listed = await desk.client.get(f"/v1/transfer-requests/{empty}", headers=headers)
        assert listed.json() == {"items": [], "next_cursor": None}

    accepted = await _step(desk.client, request["id"], "accept", receiving)
    assert accepted.status_code == 200, accepted.text
    assert accepted.headers["ETag"] == '"2"'
    decided = accepted.json()
    assert (decided["status"], decided["decided_by"], decided["allowed_actions"]) == (
        "accepted",
        "clerk-qlh",
        [],
    )
    assert decided["decided_at"] is not None
    # The card and its holder moved; the sender no longer manages them but keeps the request.
    moved = await desk.client.get(f"/v1/cards/{card['id']}", headers=receiving)
    assert moved.status_code == 200
    assert (moved.json()["division_code"], moved.json()["version"]) == (
        QILIHE_VILLAGE,
        card["version"] + 1,
    )
    holder = await desk.client.get(f"/v1/persons/{card['person_id']}", headers=receiving)
    assert holder.json()["residence_division_code"] == QILIHE_VILLAGE
    gone = await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)
    assert gone.status_code == 404
    history = await desk.client.get(f"/v1/transfer-requests/{request['id']}", headers=desk.headers)
    assert history.json()["status"] == "accepted"
    # The receiving county manages the card from now on.
    reissued = await desk.client.post(
        f"/v1/cards/{card['id']}/reissue",
        json={},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", receiving),
    )
    assert reissued.status_code == 201, reissued.text

    events = await outbox_events(cards_app)
    steps = [
        (e.type.removeprefix("cn.canlian.cards."), e.subject)
        for e in events
        if e.type.startswith(("cn.canlian.cards.transfer.", "cn.canlian.cards.card.transferred"))
    ]
    assert steps == [
        ("transfer.requested", str(request["id"])),
        ("card.transferred", str(card["id"])),
        ("transfer.accepted", str(request["id"])),
    ]
    transferred = next(e for e in events if e.type == "cn.canlian.cards.card.transferred")
    assert transferred.data["previous_division_code"] == card["division_code"]
    assert transferred.data["division_code"] == QILIHE_VILLAGE
    for event in events:
        assert "户籍迁入" not in event.to_json()


async def test_a_stale_if_match_is_412_and_a_second_decision_409(
    desk: Desk, receiving: dict[str, str]
) -> None:
    card = await desk.card_for(make_citizen_id(702))
    request = await _asked(desk, card["id"])
    url = f"/v1/transfer-requests/{request['id']}"
    stale = await desk.client.post(f"{url}/accept", headers={**receiving, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"1"'
    missing = await desk.client.post(f"{url}/accept", headers=receiving)
    assert missing.status_code == 428
    assert (await _step(desk.client, request["id"], "accept", receiving)).status_code == 200
    for action, headers, body in (
        ("accept", receiving, None),
        ("reject", receiving, {"reason": "已接收过"}),
        ("withdraw", desk.headers, {}),
    ):
        again = await _step(desk.client, request["id"], action, headers, body)
        assert again.status_code == 409, action
        assert again.json()["type"].endswith("/illegal-transition")
        assert (again.json()["state"], again.json()["allowed_actions"]) == ("accepted", [])
    # The version the first acceptance answered is no longer current either.
    replayed = await desk.client.post(f"{url}/accept", headers={**receiving, "If-Match": '"1"'})
    assert replayed.status_code == 412


async def test_the_receiving_county_rejects_with_a_reason_and_the_card_stays(
    desk: Desk, receiving: dict[str, str], cards_app: FastAPI
) -> None:
    card = await desk.card_for(make_citizen_id(703))
    request = await _asked(desk, card["id"])
    for body in (None, {}, {"reason": "   "}, {"reason": "x" * 501}):
        refused = await _step(desk.client, request["id"], "reject", receiving, body)
        assert refused.status_code == 422, body
    rejected = await _step(
        desk.client, request["id"], "reject", receiving, {"reason": "户籍未迁入本区"}
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["decision_reason"]) == (
        "rejected",
        "户籍未迁入本区",
    )
    after = (await desk.client.get(f"/v1/cards/{card['id']}", headers=desk.headers)).json()
    assert (after["division_code"], after["version"]) == (card["division_code"], card["version"])
    # The card's steps are open again, and so is a new request.
    assert (await _ask(desk, card["id"])).status_code == 201
    types = [e.type for e in await outbox_events(cards_app)]
    assert "cn.canlian.cards.transfer.rejected" in types
    assert "cn.canlian.cards.card.transferred" not in types


async def test_only_the_sender_withdraws_and_only_the_receiver_decides(
    desk: Desk, receiving: dict[str, str]
) -> None:
    card = await desk.card_for(make_citizen_id(704))
    request = await _asked(desk, card["id"])
    for action, headers, body in (
        ("withdraw", receiving, {}),
        ("accept", desk.headers, None),
        ("reject", desk.headers, {"reason": "不迁了"}),
    ):
        refused = await _step(desk.client, request["id"], action, headers, body)
        assert refused.status_code == 403, action
        assert refused.json()["type"].endswith("/transfer-step-of-other-side")
    withdrawn = await _step(
        desk.client, request["id"], "withdraw", desk.headers, {"reason": "持证人留在原籍"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert (body["status"], body["decided_by"], body["decision_reason"]) == (
        "withdrawn",
        "clerk-cg",
        "持证人留在原籍",
    )
    # Without a reason too, for the next one.
    second = await _asked(desk, card["id"])
    assert (await _step(desk.client, second["id"], "withdraw", desk.headers, {})).status_code == 200


async def test_an_open_request_holds_the_card_until_it_is_decided(
    desk: Desk, receiving: dict[str, str]
) -> None:
    card = await desk.card_for(make_citizen_id(705))
    request = await _asked(desk, card["id"])
    card_url = f"/v1/cards/{card['id']}"
    for action, body in (
        ("cancel", {"reason": "death"}),
        ("transfer", {"division_code": "620102004001"}),
        ("replace", {"generation": "smart"}),
        ("reissue", {}),
    ):
        held = await desk.client.post(
            f"{card_url}/{action}",
            json=body,
            headers=await if_match(desk.client, card_url, desk.headers),
        )
        assert held.status_code == 409, action
        assert held.json()["type"].endswith("/transfer-request-open")
        assert held.json()["transfer_request_id"] == request["id"]
        assert str(request["id"]) in held.json()["detail"]
    again = await _ask(desk, card["id"], division_code="620104000000")
    assert again.status_code == 409
    assert again.json()["transfer_request_id"] == request["id"]
    # Expiry is a date, not a decision: it is not held (this card is simply not yet due).
    expiry = await desk.client.post(
        f"{card_url}/expire", headers=await if_match(desk.client, card_url, desk.headers)
    )
    assert expiry.status_code == 422
    assert expiry.json()["type"].endswith("/not-yet-due")
    withdrawn = await _step(desk.client, request["id"], "withdraw", desk.headers, {})
    assert withdrawn.status_code == 200
    cancelled = await desk.client.post(
        f"{card_url}/cancel",
        json={"reason": "recovery"},
        headers=await if_match(desk.client, card_url, desk.headers),
    )
    assert cancelled.status_code == 200, cancelled.text


@pytest.mark.parametrize(
    ("division_code", "problem"),
    [
        ("620102004001", "transfer-within-county"),  # another village of the same county
        ("620102000000", "transfer-within-county"),  # the county itself
        ("620102003004", "transfer-to-same-region"),  # where the card is
        ("620100000000", "division-too-coarse"),  # a city
        ("990101000000", None),  # no province 99: refused by the body's type, naming the code
    ],
)
async def test_a_request_names_a_known_division_of_another_county(
    desk: Desk, division_code: str, problem: str | None
) -> None:
    card = await desk.card_for(make_citizen_id(706))
    refused = await _ask(desk, card["id"], division_code=division_code)
    assert refused.status_code == 422, refused.text
    if problem is None:
        assert division_code in refused.json()["errors"][0]["message"]
    else:
        assert refused.json()["type"].endswith(f"/{problem}")
    outgoing = await desk.client.get("/v1/transfer-requests/outgoing", headers=desk.headers)
    assert outgoing.json()["items"] == []


async def test_a_request_needs_a_reason_and_a_valid_card(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(707))
    for body in (
        {"division_code": QILIHE_VILLAGE},
        {"division_code": QILIHE_VILLAGE, "reason": "\u202e户籍"},
        {"division_code": QILIHE_VILLAGE, "reason": "户籍", "extra": 1},
    ):
        refused = await desk.client.post(
            f"/v1/cards/{card['id']}/transfer-requests", json=body, headers=desk.headers
        )
        assert refused.status_code == 422, body
    cancelled = await desk.client.post(
        f"/v1/cards/{card['id']}/cancel",
        json={"reason": "emigration"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert cancelled.status_code == 200
    refused = await _ask(desk, card["id"])
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/illegal-transition")
    assert refused.json()["state"] == "cancelled"


async def test_an_accepted_request_of_a_card_expired_meanwhile_is_refused(
    desk: Desk, receiving: dict[str, str], cards_app: FastAPI
) -> None:
    card = await desk.card_for(make_citizen_id(708))
    request = await _asked(desk, card["id"])
    async with runtime_of(cards_app).database.session() as session:
        stored = await session.get(Card, int(card["id"]))
        assert stored is not None
        stored.valid_until = date.today() - timedelta(days=3)
    expired = await desk.client.post(
        f"/v1/cards/{card['id']}/expire",
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    assert expired.status_code == 200, expired.text
    accepted = await _step(desk.client, request["id"], "accept", receiving)
    assert accepted.status_code == 409
    assert accepted.json()["state"] == "expired"
    # Nothing was decided: the receiving county rejects it, or the sender withdraws.
    still = await desk.client.get(f"/v1/transfer-requests/{request['id']}", headers=receiving)
    assert still.json()["status"] == "requested"
    rejected = await _step(
        desk.client, request["id"], "reject", receiving, {"reason": "证件已过期,请先换领"}
    )
    assert rejected.status_code == 200


async def test_a_retried_request_is_one_request(desk: Desk) -> None:
    card = await desk.card_for(make_citizen_id(709))
    url = f"/v1/cards/{card['id']}/transfer-requests"
    body = {"division_code": QILIHE_VILLAGE, "reason": "户籍迁入七里河区"}
    headers = {**desk.headers, "Idempotency-Key": "transfer-709"}
    first = await desk.client.post(url, json=body, headers=headers)
    retried = await desk.client.post(url, json=body, headers=headers)
    assert (first.status_code, retried.status_code) == (201, 201)
    assert retried.json() == first.json()
    other = await desk.client.post(
        url, json={**body, "division_code": "620104000000"}, headers=headers
    )
    assert other.status_code == 422
    outgoing = await desk.client.get("/v1/transfer-requests/outgoing", headers=desk.headers)
    assert [item["id"] for item in outgoing.json()["items"]] == [first.json()["id"]]


async def test_lists_page_and_filter_within_the_callers_scope(
    desk: Desk, receiving: dict[str, str], cards_settings: CardsSettings
) -> None:
    asked = []
    for number in (711, 712, 713):
        card = await desk.card_for(make_citizen_id(number))
        asked.append(await _asked(desk, card["id"]))
    await _step(desk.client, asked[0]["id"], "reject", receiving, {"reason": "不属本区"})
    first = await desk.client.get(
        "/v1/transfer-requests/incoming", params={"limit": 2}, headers=receiving
    )
    assert [item["id"] for item in first.json()["items"]] == [r["id"] for r in asked[:2]]
    rest = await desk.client.get(
        "/v1/transfer-requests/incoming",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=receiving,
    )
    assert [item["id"] for item in rest.json()["items"]] == [asked[2]["id"]]
    assert rest.json()["next_cursor"] is None
    open_ones = await desk.client.get(
        "/v1/transfer-requests/outgoing", params={"status": "requested"}, headers=desk.headers
    )
    assert [item["id"] for item in open_ones.json()["items"]] == [r["id"] for r in asked[1:]]
    of_card = await desk.client.get(
        "/v1/transfer-requests/outgoing",
        params={"card_id": asked[2]["card_id"]},
        headers=desk.headers,
    )
    assert [item["id"] for item in of_card.json()["items"]] == [asked[2]["id"]]
    # A region inside the scope narrows; one outside it is refused.
    village = await desk.client.get(
        "/v1/transfer-requests/incoming", params={"region": "620103001"}, headers=receiving
    )
    assert len(village.json()["items"]) == 3
    outside = await desk.client.get(
        "/v1/transfer-requests/incoming", params={"region": CHENGGUAN}, headers=receiving
    )
    assert outside.status_code == 403
    bad = await desk.client.get(
        "/v1/transfer-requests/incoming", params={"status": "open"}, headers=receiving
    )
    assert bad.status_code == 422
    # The city above both counties sees them in and out.
    city = bearer(cards_settings, region="620100000000")
    for direction in ("incoming", "outgoing"):
        listed = await desk.client.get(f"/v1/transfer-requests/{direction}", headers=city)
        assert len(listed.json()["items"]) == 3
