"""The issue's walk on the embedded default (SQLite file + embedded log), so `canlian up`
serves the same API: a village member's visit finds two needs in a 一户多残 household, one
is referred to the township's 残疾人之家 and one to the volunteers, both are closed and
rated; the resent offline batch is a duplicate."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.common.settings import PlatformSettings
from canlian.needs.app import create_app, service_descriptor
from canlian.testing.services import api_client, bearer, if_match, rebuild_schema, runtime_of

from .conftest import CHENGGUAN, VILLAGE, appointment, deliver, household_body


@pytest.fixture
async def embedded_app(embedded_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, embedded_settings)
    app = create_app(embedded_settings)
    await deliver(app, [appointment("ap-e1", "member-e1", [VILLAGE])])
    yield app
    await runtime_of(app).database.dispose()


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], need_id: str, step: str, body: Any
) -> dict[str, Any]:
    url = f"/v1/needs/{need_id}"
    response = await client.post(
        f"{url}/{step}", json=body, headers=await if_match(client, url, headers)
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_the_visit_to_referral_walk_on_sqlite(
    embedded_app: FastAPI, embedded_settings: PlatformSettings
) -> None:
    headers = bearer(embedded_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    async with api_client(embedded_app) as client:
        household = await client.post(
            "/v1/households", json=household_body(disabled=2), headers=headers
        )
        assert household.status_code == 201, household.text
        household_id = household.json()["id"]
        assert household.json()["flags"] == ["multiple_disabled"]
        platform = await client.post(
            "/v1/platforms",
            json={
                "name": "某镇残疾人之家",
                "kind": "home_of_disabled",
                "division_code": "620102003000",
                "services": ["day_care"],
                "capacity": 10,
            },
            headers=headers,
        )
        assert platform.status_code == 201, platform.text
        batch = {
            "member_id": "member-e1",
            "visits": [
                {
                    "client_id": "phone-1",
                    "household_id": household_id,
                    "visited_on": china_today().isoformat(),
                    "met": "户主",
                    "findings": "两名残疾子女",
                    "needs": [
                        {"category": "care", "description": "白天无人照料"},
                        {"category": "culture_sports", "description": "想参加文体活动"},
                    ],
                }
            ],
        }
        sent = await client.post("/v1/visits/batch", json=batch, headers=headers)
        assert sent.status_code == 200, sent.text
        assert sent.json()["accepted"] == 1
        resent = await client.post("/v1/visits/batch", json=batch, headers=headers)
        assert (resent.json()["accepted"], resent.json()["duplicates"]) == (0, 1)
        visit = await client.get(
            f"/v1/visits/{sent.json()['results'][0]['visit_id']}", headers=headers
        )
        care, culture = visit.json()["need_ids"]

        await _step(client, headers, care, "assessment", {"assessment": "需日间照料"})
        referred = await _step(
            client,
            headers,
            care,
            "referral",
            {"target": "platform", "platform_id": platform.json()["id"]},
        )
        assert referred["platform_id"] == platform.json()["id"]
        await _step(client, headers, culture, "assessment", {"assessment": "志愿者陪同"})
        await _step(client, headers, culture, "referral", {"target": "volunteers"})
        closed_care = await _step(
            client, headers, care, "close", {"outcome": "已入托", "satisfaction": "satisfied"}
        )
        closed_culture = await _step(
            client, headers, culture, "close", {"outcome": "志愿者已陪同参加活动"}
        )
        rated = await _step(
            client, headers, culture, "satisfaction", {"satisfaction": "basically_satisfied"}
        )
        assert closed_care["closed_within_deadline"] is True
        assert closed_culture["closed_within_deadline"] is True
        assert rated["satisfaction"] == "basically_satisfied"

        severe = await client.get("/v1/households?flag=multiple_disabled", headers=headers)
        assert [item["id"] for item in severe.json()["items"]] == [household_id]
        due = await client.get(
            f"/v1/reports/visits-due?region={CHENGGUAN}&level=village", headers=headers
        )
        assert due.json()["rows"] == [
            {"division_code": VILLAGE, "scheduled": 1, "due_soon": 0, "overdue": 0}
        ]
