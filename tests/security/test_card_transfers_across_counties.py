"""Class 6, cards part (transfers into places that are not yours): a county clerk cannot place
a card in another county; the receiving county takes it over by accepting a request. A third
county sees neither the request nor whether it exists: every operation on it answers as for
an id that was never used, before its If-Match or its body is looked at."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canlian.common import auth, citizen_id
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match
from tests.cards.conftest import Desk

pytestmark = pytest.mark.postgres

CHENGGUAN = "620102000000"  # 兰州市城关区: manages the card
QILIHE = "620103000000"  # 兰州市七里河区: receives it
XIGU = "620104000000"  # 兰州市西固区: a third county
NEVER_USED = 9_000_000_000


def _citizen_id(sequence: int) -> str:
    first17 = f"62010219770707{sequence:03d}"
    return first17 + citizen_id.check_digit(first17)


def _clerk(settings: PlatformSettings, county: str) -> dict[str, str]:
    return bearer(settings, roles=[auth.OFFICIAL], region=county, subject=f"clerk-{county}")


def _comparable(response: httpx.Response) -> tuple[int, dict[str, Any]]:
    body = {k: v for k, v in response.json().items() if k not in ("instance", "request_id")}
    return response.status_code, body


async def _card_with_open_request(
    client: httpx.AsyncClient, settings: PlatformSettings, sequence: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    desk = Desk(client, _clerk(settings, CHENGGUAN))
    card = await desk.card_for(_citizen_id(sequence))
    asked = await client.post(
        f"/v1/cards/{card['id']}/transfer-requests",
        json={"division_code": "620103001001", "reason": "户籍迁入七里河区"},
        headers=desk.headers,
    )
    assert asked.status_code == 201, asked.text
    return card, asked.json()


async def test_a_county_cannot_place_a_card_in_another_county(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    home = _clerk(postgres_settings, CHENGGUAN)
    card = await Desk(cards_client, home).card_for(_citizen_id(1))
    url = f"/v1/cards/{card['id']}"
    for division_code in ("620103001001", QILIHE, "510104000000"):
        placed = await cards_client.post(
            f"{url}/transfer",
            json={"division_code": division_code},
            headers=await if_match(cards_client, url, home),
        )
        assert placed.status_code == 403, placed.text
        assert placed.json()["type"].endswith("/transfer-request-required")
        assert placed.json()["transfer_requests"] == f"{url}/transfer-requests"
    after = (await cards_client.get(url, headers=home)).json()
    assert (after["division_code"], after["version"]) == (card["division_code"], card["version"])
    # Nor can the receiving county pull a card it does not manage.
    pulled = await cards_client.post(
        f"{url}/transfer-requests",
        json={"division_code": "620103001001", "reason": "户籍迁入七里河区"},
        headers=_clerk(postgres_settings, QILIHE),
    )
    assert pulled.status_code == 404


async def test_a_third_county_sees_neither_the_request_nor_whether_it_exists(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    card, request = await _card_with_open_request(cards_client, postgres_settings, 2)
    third = _clerk(postgres_settings, XIGU)
    for if_match_header in (None, '"1"', '"99"', "*"):
        headers = third if if_match_header is None else {**third, "If-Match": if_match_header}
        for method, suffix, body in (
            ("GET", "", None),
            ("POST", "/accept", None),
            ("POST", "/reject", {"reason": "不属本区"}),
            ("POST", "/reject", {}),
            ("POST", "/withdraw", {}),
        ):
            existing = await cards_client.request(
                method, f"/v1/transfer-requests/{request['id']}{suffix}", json=body, headers=headers
            )
            absent = await cards_client.request(
                method, f"/v1/transfer-requests/{NEVER_USED}{suffix}", json=body, headers=headers
            )
            # The only 422 is the body's own (a reject needs a reason), for any id alike.
            assert existing.status_code in (404, 422), (method, suffix, existing.text)
            assert _comparable(existing) == _comparable(absent), (method, suffix)
            assert "620103" not in existing.text
    for direction in ("incoming", "outgoing"):
        listed = await cards_client.get(f"/v1/transfer-requests/{direction}", headers=third)
        assert listed.json()["items"] == []
        filtered = await cards_client.get(
            f"/v1/transfer-requests/{direction}", params={"card_id": card["id"]}, headers=third
        )
        assert filtered.json()["items"] == []
    # The card and its request are as they were.
    receiving = _clerk(postgres_settings, QILIHE)
    still = await cards_client.get(f"/v1/transfer-requests/{request['id']}", headers=receiving)
    assert (still.json()["status"], still.json()["version"]) == ("requested", 1)


async def test_a_third_county_cannot_ask_for_a_card_nor_replay_the_senders_request(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    home = _clerk(postgres_settings, CHENGGUAN)
    card = await Desk(cards_client, home).card_for(_citizen_id(3))
    url = f"/v1/cards/{card['id']}/transfer-requests"
    body = {"division_code": "620103001001", "reason": "户籍迁入七里河区"}
    key = {"Idempotency-Key": "move-3"}
    asked = await cards_client.post(url, json=body, headers={**home, **key})
    assert asked.status_code == 201
    third = _clerk(postgres_settings, XIGU)
    replayed = await cards_client.post(url, json=body, headers={**third, **key})
    assert replayed.status_code == 404
    assert replayed.json()["type"].endswith("/not-found")
    assert "requested_by" not in replayed.text
    to_itself = await cards_client.post(
        url, json={**body, "division_code": "620104001001"}, headers=third
    )
    assert to_itself.status_code == 404


async def test_each_side_keeps_to_its_own_step(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    card, request = await _card_with_open_request(cards_client, postgres_settings, 4)
    home = _clerk(postgres_settings, CHENGGUAN)
    receiving = _clerk(postgres_settings, QILIHE)
    url = f"/v1/transfer-requests/{request['id']}"
    # The sender cannot accept its own request into another county, nor the receiver withdraw.
    for action, headers in (("accept", home), ("withdraw", receiving)):
        refused = await cards_client.post(
            f"{url}/{action}", json={}, headers=await if_match(cards_client, url, headers)
        )
        assert refused.status_code == 403, action
    accepted = await cards_client.post(
        f"{url}/accept", headers=await if_match(cards_client, url, receiving)
    )
    assert accepted.status_code == 200
    moved = await cards_client.get(f"/v1/cards/{card['id']}", headers=receiving)
    assert moved.json()["division_code"] == "620103001001"
    # Once there, the card is the receiving county's alone.
    assert (await cards_client.get(f"/v1/cards/{card['id']}", headers=home)).status_code == 404
