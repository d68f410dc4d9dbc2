"""Class 2, verification of cards (cards service): an answer per guess must not be an oracle.
A portal gives the full card number and the card's validity end date; a wrong category,
grade or date answers like an unknown card, and the answer is valid or not, nothing else.
Checks are limited per portal (`VERIFICATIONS`, 429 with Retry-After) and audited. A
national portal verifies the cards of every province, a provincial one those of its own."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.divisions import NATION
from canlian.common.rate_limit import VERIFICATIONS
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, runtime_of
from tests.cards.conftest import Desk, make_citizen_id

pytestmark = pytest.mark.postgres

GANSU = "620000000000"
CHENGGUAN = "620102000000"  # 兰州市城关区, 甘肃
JINJIANG = "510104000000"  # 成都市锦江区, 四川


def _portal(settings: PlatformSettings, region: str) -> dict[str, str]:
    subject = f"portal-{uuid.uuid4().hex[:8]}"
    return bearer(settings, roles=[auth.PORTAL], region=region, subject=subject)


def _desk(client: httpx.AsyncClient, settings: PlatformSettings, county: str) -> Desk:
    headers = bearer(settings, roles=[auth.OFFICIAL], region=county, subject=f"clerk-{county}")
    return Desk(client, headers, home=county[:6] + "001001")


async def _verify(
    client: httpx.AsyncClient, headers: dict[str, str], number: str, valid_until: str
) -> httpx.Response:
    return await client.post(
        "/v1/verifications",
        json={"card_number": number, "valid_until": valid_until},
        headers=headers,
    )


async def test_a_national_portal_verifies_every_province_a_provincial_one_its_own(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    gansu_id = make_citizen_id(31)
    sichuan_id = make_citizen_id(32, area="510104")
    gansu = await _desk(cards_client, postgres_settings, CHENGGUAN).card_for(gansu_id, 2, 1)
    sichuan = await _desk(cards_client, postgres_settings, JINJIANG).card_for(sichuan_id, 4, 3)
    national = _portal(postgres_settings, NATION)
    provincial = _portal(postgres_settings, GANSU)
    for card, number in ((gansu, gansu_id + "21"), (sichuan, sichuan_id + "43")):
        answer = await _verify(cards_client, national, number, card["valid_until"])
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"valid": True}
    own = await _verify(cards_client, provincial, gansu_id + "21", gansu["valid_until"])
    assert own.json() == {"valid": True}
    other = await _verify(cards_client, provincial, sichuan_id + "43", sichuan["valid_until"])
    assert other.json() == {"valid": False}
    # The GET answers alike, the date in the query.
    path = f"/v1/verifications/{sichuan_id}43"
    got = await cards_client.get(
        path, params={"valid_until": sichuan["valid_until"]}, headers=national
    )
    assert got.json() == {"valid": True}


async def test_the_number_and_the_validity_date_are_both_needed(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings, cards_app: FastAPI
) -> None:
    holder = make_citizen_id(33)
    card = await _desk(cards_client, postgres_settings, CHENGGUAN).card_for(holder, 2, 1)
    portal = _portal(postgres_settings, GANSU)
    number = holder + "21"
    valid_until = card["valid_until"]
    day_after = (date.fromisoformat(valid_until) + timedelta(days=1)).isoformat()
    right = await _verify(cards_client, portal, number, valid_until)
    assert right.json() == {"valid": True}
    # Every wrong guess answers the same: the category, the grade, the date.
    for guess, until in ((holder + "11", valid_until), (holder + "22", valid_until)):
        assert (await _verify(cards_client, portal, guess, until)).json() == {"valid": False}
    assert (await _verify(cards_client, portal, number, day_after)).json() == {"valid": False}
    # Without the date there is no answer at all.
    no_date = await cards_client.post(
        "/v1/verifications", json={"card_number": number}, headers=portal
    )
    assert no_date.status_code == 422
    no_date_get = await cards_client.get(f"/v1/verifications/{number}", headers=portal)
    assert no_date_get.status_code == 422
    # The OpenAPI documents the second factor and the limit.
    spec = (await cards_client.get("/openapi.json")).json()
    get = spec["paths"]["/v1/verifications/{card_number}"]["get"]
    assert any(p["name"] == "valid_until" and p["required"] for p in get["parameters"])
    assert "429" in get["responses"]
    body = spec["paths"]["/v1/verifications"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "valid_until" in spec["components"]["schemas"][ref]["required"]
    answer = spec["components"]["schemas"]["Verification"]["properties"]
    assert set(answer) == {"valid"}

    runtime = runtime_of(cards_app)
    table = runtime.tables.audit_log
    async with runtime.database.session() as session:
        rows = (
            await session.execute(
                select(table.c.object_id, table.c.reason)
                .where(table.c.action == "card.verified", table.c.actor.like("portal-%"))
                .order_by(table.c.id)
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        (str(card["id"]), "valid"),
        ("-", "not valid"),
        ("-", "not valid"),
        ("-", "not valid"),
    ]


async def test_verifications_are_limited_per_portal(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    portal = _portal(postgres_settings, GANSU)
    number = make_citizen_id(34) + "21"
    for _ in range(VERIFICATIONS.hits):
        answer = await _verify(cards_client, portal, number, "2030-01-01")
        assert answer.status_code == 200
    refused = await _verify(cards_client, portal, number, "2030-01-01")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= VERIFICATIONS.window_seconds
    assert refused.json()["type"].endswith("/rate-limited")
    other = _portal(postgres_settings, GANSU)
    assert (await _verify(cards_client, other, number, "2030-01-01")).status_code == 200
