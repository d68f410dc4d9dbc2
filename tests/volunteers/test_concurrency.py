"""Races the mobile network produces: the same batch sent twice at once, two volunteers
taking the last place on a need. Committed for real on PostgreSQL (no rollback)."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common.settings import PlatformSettings
from canlian.testing.services import api_client, if_match, rebuild_schema, runtime_of
from canlian.volunteers.app import create_app, service_descriptor
from canlian.volunteers.service_records.models import ServiceRecord
from tests.volunteers.conftest import Api, scratch_settings

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
async def committed_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = await scratch_settings(postgres_settings, "volunteers_races")
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings)
    yield app
    await runtime_of(app).database.dispose()


@pytest.fixture
async def live(committed_app: FastAPI, postgres_settings: PlatformSettings) -> AsyncIterator[Api]:
    async with api_client(committed_app) as client:
        yield Api(client, postgres_settings, committed_app)


def _batch(start: datetime, count: int) -> dict[str, Any]:
    return {
        "records": [
            {
                "client_id": str(uuid.uuid4()),
                "service_kind": "companionship",
                "checked_in_at": (start + timedelta(hours=2 * number)).isoformat(),
                "checked_out_at": (start + timedelta(hours=2 * number + 1)).isoformat(),
                "person_times": 1,
            }
            for number in range(count)
        ]
    }


async def _records(app: FastAPI, volunteer_id: str) -> int:
    async with runtime_of(app).database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ServiceRecord)
            .where(ServiceRecord.volunteer_id == volunteer_id)
        )
    return int(count or 0)


async def test_the_same_batch_sent_twice_at_once_is_counted_once(live: Api) -> None:
    volunteer = await live.register_by_station()
    batch = _batch(datetime.now(UTC) - timedelta(days=3), 10)
    headers = live.volunteer(volunteer["id"])
    responses: list[httpx.Response] = await asyncio.gather(
        *(
            live.client.post("/v1/me/service-records/batch", json=batch, headers=headers)
            for _ in range(3)
        )
    )
    assert [response.status_code for response in responses] == [200, 200, 200]
    outcomes = sorted((r.json()["accepted"], r.json()["duplicates"]) for r in responses)
    assert outcomes == [(0, 10), (0, 10), (10, 0)]
    assert await _records(live.app, volunteer["id"]) == 10


async def test_overlapping_records_in_concurrent_batches_are_kept_once(live: Api) -> None:
    volunteer = await live.register_by_station()
    start = datetime.now(UTC) - timedelta(days=2)
    headers = live.volunteer(volunteer["id"])
    # Different client ids, same hours: only one of them may stand.
    responses = await asyncio.gather(
        *(
            live.client.post("/v1/me/service-records/batch", json=_batch(start, 1), headers=headers)
            for _ in range(4)
        )
    )
    accepted = sum(response.json()["accepted"] for response in responses)
    reasons = {
        item["reason"]["code"]
        for response in responses
        for item in response.json()["results"]
        if item["reason"]
    }
    assert accepted == 1
    assert reasons == {"record-overlaps"}
    assert await _records(live.app, volunteer["id"]) == 1


async def test_two_volunteers_racing_for_the_last_place(live: Api) -> None:
    need = await live.create_need(volunteers_needed=1)
    first = await live.register_by_station()
    second = await live.register_by_station()
    mine = f"/v1/me/needs/{need['id']}"
    # Both read the need with its one place left; the second to write finds it changed.
    reads = [
        await if_match(live.client, mine, live.volunteer(volunteer["id"]))
        for volunteer in (first, second)
    ]
    responses = await asyncio.gather(
        *(live.client.post(f"{mine}/accept", headers=read) for read in reads)
    )
    assert sorted(response.status_code for response in responses) == [200, 412]
    detail = await live.client.get(f"/v1/needs/{need['id']}", headers=live.official())
    assert detail.json()["volunteers_accepted"] == 1
