"""A needs scenario through the API, for the snapshot and agreement tests: two household
files (one in special difficulty, with rehabilitation statuses), a visit on schedule, a need
referred to a platform, closed unsatisfied, reopened and closed again, a petition accepted
and closed, a 残疾人之家 changed."""

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.business_day import china_today
from canlian.testing.services import if_match

from ..conftest import (
    OTHER_VILLAGE,
    VILLAGE,
    appointment,
    deliver,
    new_household,
    new_need,
    new_platform,
)


@dataclass(frozen=True)
class Scenario:
    households: list[str]
    needs: list[str]
    platform: str
    visit: str


async def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], need_id: str, step: str, body: object
) -> dict[str, Any]:
    url = f"/v1/needs/{need_id}"
    return await _ok(
        await client.post(f"{url}/{step}", json=body, headers=await if_match(client, url, headers))
    )


async def _service(
    client: httpx.AsyncClient, headers: dict[str, str], household_id: str, member: str, status: str
) -> None:
    url = f"/v1/households/{household_id}"
    body = {"status": status, "since": china_today().isoformat(), "source": "入户访视"}
    await _ok(
        await client.put(
            f"{url}/members/{member}/services/rehabilitation",
            json=body,
            headers=await if_match(client, url, headers),
        )
    )


@pytest.fixture
async def scenario(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> Scenario:
    await deliver(needs_app, [appointment("ap-r1", "member-r1", [VILLAGE])])
    platform = await new_platform(client, county, capacity=2)
    first = await new_household(client, county, flags=["severe"], disabled=2)
    second = await new_household(client, county, village=OTHER_VILLAGE)
    disabled = [member["id"] for member in first["members"] if member["disabled"]]
    await _service(client, county, first["id"], disabled[0], "receiving")
    await _service(client, county, first["id"], disabled[1], "needed")
    visit = await _ok(
        await client.post(
            "/v1/visits",
            json={
                "member_id": "member-r1",
                "client_id": "r-1",
                "household_id": first["id"],
                "visited_on": china_today().isoformat(),
                "met": "户主",
                "findings": "需要康复训练",
            },
            headers=county,
        )
    )
    need = await new_need(client, county, first["id"])
    await _step(client, county, need["id"], "assessment", {"assessment": "需康复"})
    referral = {"target": "platform", "platform_id": platform["id"]}
    await _step(client, county, need["id"], "referral", referral)
    unsatisfied = {"outcome": "已转介", "satisfaction": "unsatisfied"}
    await _step(client, county, need["id"], "close", unsatisfied)
    await _step(client, county, need["id"], "reopen", None)
    await _step(client, county, need["id"], "assessment", {"assessment": "再评估"})
    await _step(client, county, need["id"], "close", {"outcome": "已康复训练"})
    await _step(client, county, need["id"], "satisfaction", {"satisfaction": "satisfied"})
    petition = await new_need(
        client,
        county,
        second["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": china_today().isoformat()},
    )
    await _step(client, county, petition["id"], "assessment", {"assessment": "受理"})
    reply = {"outcome": "已协调", "petition_reply": "已书面答复"}
    await _step(client, county, petition["id"], "close", reply)
    open_need = await new_need(client, county, second["id"], category="employment")
    url = f"/v1/platforms/{platform['id']}"
    await _ok(
        await client.patch(url, json={"capacity": 3}, headers=await if_match(client, url, county))
    )
    return Scenario(
        households=[first["id"], second["id"]],
        needs=[need["id"], petition["id"], open_need["id"]],
        platform=platform["id"],
        visit=visit["id"],
    )
