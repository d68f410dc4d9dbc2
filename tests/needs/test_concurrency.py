"""Races the mobile network and two desks produce: the same offline batch sent three times
at once, two referrals taking a platform's last place. Committed for real on PostgreSQL."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.common.settings import PlatformSettings
from canlian.needs.app import create_app, service_descriptor
from canlian.needs.settings import NeedsSettings
from canlian.needs.visits.models import Visit
from canlian.testing.databases import fresh_database
from canlian.testing.services import api_client, bearer, if_match, rebuild_schema, runtime_of

from .conftest import (
    CHENGGUAN,
    VILLAGE,
    appointment,
    deliver,
    new_household,
    new_need,
    new_platform,
)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
async def committed_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = NeedsSettings(
        **(await fresh_database(postgres_settings, "needs_races")).model_dump()
    )
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings)
    await deliver(app, [appointment("ap-r1", "member-r1", [VILLAGE])])
    yield app
    await runtime_of(app).database.dispose()


@pytest.fixture
async def live(committed_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(committed_app) as client:
        yield client


@pytest.fixture
def desk(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)


async def test_the_same_batch_sent_three_times_at_once_is_recorded_once(
    committed_app: FastAPI, live: httpx.AsyncClient, desk: dict[str, str]
) -> None:
    households = [await new_household(live, desk) for _ in range(5)]
    batch: dict[str, Any] = {
        "member_id": "member-r1",
        "visits": [
            {
                "client_id": f"race-{number}",
                "household_id": household["id"],
                "visited_on": china_today().isoformat(),
                "met": "户主",
                "findings": "情况稳定",
            }
            for number, household in enumerate(households)
        ],
    }
    responses = await asyncio.gather(
        *(live.post("/v1/visits/batch", json=batch, headers=desk) for _ in range(3))
    )
    assert [r.status_code for r in responses] == [200, 200, 200], [r.text for r in responses]
    assert sum(r.json()["accepted"] for r in responses) == 5
    assert sum(r.json()["duplicates"] for r in responses) == 10
    async with runtime_of(committed_app).database.session() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Visit).where(Visit.member_id == "member-r1")
        )
    assert stored == 5


async def test_two_referrals_for_the_last_place_take_it_once(
    live: httpx.AsyncClient, desk: dict[str, str]
) -> None:
    platform = await new_platform(live, desk, name="竞争名额的残疾人之家", capacity=1)
    needs = []
    for _ in range(2):
        household = await new_household(live, desk)
        need = await new_need(live, desk, household["id"], category="care")
        url = f"/v1/needs/{need['id']}"
        assessed = await live.post(
            f"{url}/assessment",
            json={"assessment": "需托养"},
            headers=await if_match(live, url, desk),
        )
        assert assessed.status_code == 200, assessed.text
        needs.append((url, {**desk, "If-Match": assessed.headers["ETag"]}))
    responses = await asyncio.gather(
        *(
            live.post(
                f"{url}/referral",
                json={"target": "platform", "platform_id": platform["id"]},
                headers=headers,
            )
            for url, headers in needs
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    taken = await live.get(f"/v1/platforms/{platform['id']}", headers=desk)
    assert taken.json()["occupied"] == 1
