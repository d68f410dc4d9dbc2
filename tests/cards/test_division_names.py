"""The cards service's problems name divisions beside their codes, from the names the
registry's events gave; a division not named yet is its code."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from canlian.testing.services import name_divisions
from tests.cards.conftest import CHENGGUAN, make_citizen_id

pytestmark = pytest.mark.postgres

SHANGYU = "330604000000"


async def test_a_residence_outside_the_scope_is_named_beside_its_code(
    client: httpx.AsyncClient, cards_app: FastAPI, county: dict[str, str]
) -> None:
    body = {"citizen_id": make_citizen_id(21), "name": "x", "residence_division_code": SHANGYU}
    before = await client.post("/v1/persons", json=body, headers=county)
    assert before.status_code == 403
    assert before.json()["detail"] == f"区划 {SHANGYU} 不在您的管辖范围 {CHENGGUAN} 内"

    await name_divisions(cards_app, {SHANGYU: "上虞区", CHENGGUAN: "城关区"})
    named = await client.post("/v1/persons", json=body, headers={**county, "Accept-Language": "en"})
    assert named.status_code == 403
    assert named.json()["detail"] == (
        f"Division 上虞区({SHANGYU}) is outside your scope 城关区({CHENGGUAN})"
    )
