"""The members service's problems name divisions beside their codes, from the names the
registry's events gave."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from canlian.testing.services import name_divisions
from tests.members.conftest import COUNTY

GANSU = "620000000000"


async def test_a_report_region_outside_the_scope_is_named_beside_its_code(
    client: httpx.AsyncClient, members_app: FastAPI, official: dict[str, str]
) -> None:
    await name_divisions(members_app, {GANSU: "甘肃省", COUNTY: "城关区"})
    too_wide = await client.get(
        "/v1/reports/by-township", params={"region": "62"}, headers=official
    )
    assert too_wide.status_code == 403
    assert too_wide.json()["detail"] == f"区划 甘肃省({GANSU}) 不在您的管辖范围 城关区({COUNTY}) 内"
