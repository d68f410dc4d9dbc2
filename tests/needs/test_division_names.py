"""Needs' problems name divisions beside their codes, in either language, from the names the
registry's events gave; a division not named yet is its code."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from canlian.testing.services import name_divisions
from tests.needs.conftest import CHENGGUAN, QILIHE_VILLAGE, household_body


async def test_a_region_outside_the_scope_is_named_beside_its_code(
    client: httpx.AsyncClient, needs_app: FastAPI, county: dict[str, str]
) -> None:
    body = household_body(village=QILIHE_VILLAGE)
    before = await client.post("/v1/households", json=body, headers=county)
    assert before.status_code == 403
    assert before.json()["detail"] == f"区划 {QILIHE_VILLAGE} 不在您的管辖范围 {CHENGGUAN} 内"

    await name_divisions(needs_app, {QILIHE_VILLAGE: "西湖社区", CHENGGUAN: "城关区"})
    named = await client.post("/v1/households", json=body, headers=county)
    assert named.status_code == 403
    assert named.json()["detail"] == (
        f"区划 西湖社区({QILIHE_VILLAGE}) 不在您的管辖范围 城关区({CHENGGUAN}) 内"
    )
    english = await client.post(
        "/v1/households", json=body, headers={**county, "Accept-Language": "en"}
    )
    assert english.json()["detail"] == (
        f"Division 西湖社区({QILIHE_VILLAGE}) is outside your scope 城关区({CHENGGUAN})"
    )
    assert named.json()["type"] == before.json()["type"]
