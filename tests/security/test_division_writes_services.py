"""Class 8, services part (writes into places that do not exist): a card transfer (direct or
requested), a residence, a designation, an archive entry or its move to a division code whose
province is unknown (990101001001) is refused with 422 naming the code, before anything is
written.
Cards and members keep no divisions read model: a known province is what they can check."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canlian.common import auth, citizen_id
from canlian.common.divisions import NATION
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match
from tests.cards.conftest import Desk

pytestmark = pytest.mark.postgres

NOWHERE = "990101001001"
NOWHERE_COUNTY = "990101000000"


def _citizen_id(sequence: int) -> str:
    first17 = f"62010219900909{sequence:03d}"
    return first17 + citizen_id.check_digit(first17)


def _names_the_code(response: httpx.Response, code: str, field: str) -> None:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [field]
    assert code in errors[0]["message"]
    assert "99" in errors[0]["message"]


async def test_a_card_is_not_transferred_to_an_unknown_province(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    clerk = bearer(postgres_settings, roles=[auth.OFFICIAL], region="620102000000")
    desk = Desk(cards_client, clerk)
    card = await desk.card_for(_citizen_id(1))
    for code in (NOWHERE, NOWHERE_COUNTY):
        moved = await cards_client.post(
            f"/v1/cards/{card['id']}/transfer",
            json={"division_code": code},
            headers=await if_match(cards_client, f"/v1/cards/{card['id']}", clerk),
        )
        _names_the_code(moved, code, "body.division_code")
        asked = await cards_client.post(
            f"/v1/cards/{card['id']}/transfer-requests",
            json={"division_code": code, "reason": "户籍迁出"},
            headers=clerk,
        )
        _names_the_code(asked, code, "body.division_code")
    after = (await cards_client.get(f"/v1/cards/{card['id']}", headers=clerk)).json()
    assert after["division_code"] == card["division_code"]
    # A real county of another province takes the card over by accepting a request.
    real = await cards_client.post(
        f"/v1/cards/{card['id']}/transfer-requests",
        json={"division_code": "510104000000", "reason": "户籍迁出"},
        headers=clerk,
    )
    assert real.status_code == 201, real.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/v1/persons",
            {"citizen_id": _citizen_id(2), "name": "王五", "residence_division_code": NOWHERE},
            "residence_division_code",
        ),
        (
            "/v1/institutions",
            {"name": "某某医院", "division_code": NOWHERE_COUNTY},
            "division_code",
        ),
    ],
)
async def test_cards_writes_name_known_provinces(
    path: str,
    body: dict[str, Any],
    field: str,
    cards_client: httpx.AsyncClient,
    postgres_settings: PlatformSettings,
) -> None:
    national = bearer(postgres_settings, roles=[auth.OFFICIAL], region=NATION)
    refused = await cards_client.post(path, json=body, headers=national)
    _names_the_code(refused, body[field], f"body.{field}")


async def test_members_writes_name_known_provinces(
    members_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    national = bearer(postgres_settings, roles=[auth.OFFICIAL], region=NATION)
    body = {
        "kind": "federation_staff",
        "division_code": NOWHERE,
        "name": "王五",
        "citizen_id": _citizen_id(3),
        "disability_relation": "none",
    }
    refused = await members_client.post("/v1/members", json=body, headers=national)
    _names_the_code(refused, NOWHERE, "body.division_code")
    created = await members_client.post(
        "/v1/members", json={**body, "division_code": "620102001001"}, headers=national
    )
    assert created.status_code == 201, created.text
    moved = await members_client.patch(
        f"/v1/members/{created.json()['id']}",
        json={"division_code": NOWHERE},
        headers=await if_match(members_client, f"/v1/members/{created.json()['id']}", national),
    )
    _names_the_code(moved, NOWHERE, "body.division_code")
    policy = await members_client.put(
        f"/v1/allowance-minimums/{NOWHERE_COUNTY}/village",
        json={"monthly_minimum_yuan": "500.00"},
        headers=national,
    )
    assert policy.status_code == 422, policy.text
    assert NOWHERE_COUNTY in policy.text
