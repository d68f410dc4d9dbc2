"""Figures at a province's scale (opt-in: CANLIAN_VOLUNTEERS_SCALE=1, run with -s).

Seeds 30,000 volunteers in one city and 100,000 confirmed service records across a province
on PostgreSQL, then times the calls officials and the app make, through the HTTP API. Prints
the figures; asserts only that the answers are right, never how long they took.

    CANLIAN_VOLUNTEERS_SCALE=1 uv run pytest tests/volunteers/test_scale.py -s -q
"""

import os
import random
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert

from canlian.common.db.metadata import utcnow
from canlian.common.events.volunteers import Skill
from canlian.common.settings import PlatformSettings
from canlian.testing.services import api_client, rebuild_schema, runtime_of
from canlian.volunteers.app import create_app, service_descriptor
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.volunteers.models import Volunteer, VolunteerSkill
from tests.volunteers.conftest import Api, scratch_settings

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("CANLIAN_VOLUNTEERS_SCALE") != "1",
        reason="measurement; set CANLIAN_VOLUNTEERS_SCALE=1",
    ),
]

VOLUNTEERS = 30_000
RECORDS = 100_000
SKILLS = [skill.value for skill in Skill]
CITY = "6201"


def _village(rng: random.Random, city: str) -> str:
    county = f"{rng.randint(1, 11):02d}"
    township = f"{rng.randint(1, 20):03d}"
    village = f"{rng.randint(1, 30):03d}"
    return f"{city}{county}{township}{village}"


async def _seed(app: FastAPI, rng: random.Random) -> dict[str, Any]:
    now = utcnow()
    volunteers: list[dict[str, Any]] = []
    skills: list[dict[str, Any]] = []
    for number in range(VOLUNTEERS):
        volunteer_id = f"v{number:06d}"
        volunteers.append(
            {
                "id": volunteer_id,
                "division_code": _village(rng, CITY),
                "status": "active",
                "channel": "station",
                "name_encrypted": "x",
                "name_masked": "张*",
                "phone_encrypted": "x",
                "phone_index": uuid.uuid4().hex,
                "phone_masked": "139****0000",
                "availability_mask": rng.getrandbits(21),
                "sign_language_trained": False,
                "star_level": 0,
                "confirmed_minutes": 0,
                "person_times": 0,
                "registered_on": date(2026, 1, 1),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        for skill in rng.sample(SKILLS, rng.randint(1, 3)):
            skills.append({"volunteer_id": volunteer_id, "skill": skill})
    records: list[dict[str, Any]] = []
    expected = {"minutes": 0, "person_times": 0}
    start = datetime(2025, 11, 1, 1, 0, tzinfo=UTC)
    for number in range(RECORDS):
        checked_in = start + timedelta(minutes=number * 5)
        minutes = rng.randint(30, 240)
        persons = rng.randint(0, 5)
        city = f"62{rng.randint(1, 14):02d}"
        records.append(
            {
                "id": f"r{number:07d}",
                "volunteer_id": f"v{number % VOLUNTEERS:06d}",
                "client_id": f"c{number}",
                "division_code": _village(rng, city),
                "service_kind": rng.choice(SKILLS),
                "checked_in_at": checked_in,
                "checked_out_at": checked_in + timedelta(minutes=minutes),
                "served_on": checked_in.date(),
                "served_month": checked_in.strftime("%Y-%m"),
                "minutes": minutes,
                "person_times": persons,
                "status": "confirmed",
                "submitted_at": now,
                "version": 2,
            }
        )
        expected["minutes"] += minutes
        expected["person_times"] += persons
    async with runtime_of(app).database.session() as session:
        for table, rows in ((Volunteer, volunteers), (VolunteerSkill, skills)):
            for offset in range(0, len(rows), 5000):
                await session.execute(insert(table), rows[offset : offset + 5000])
        for offset in range(0, len(records), 5000):
            await session.execute(insert(ServiceRecord), records[offset : offset + 5000])
    return expected


@pytest.fixture(scope="module")
async def scale_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = await scratch_settings(postgres_settings, "volunteers_scale")
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings)
    yield app
    await runtime_of(app).database.dispose()


async def _timed(
    label: str, call: Callable[[], Awaitable[httpx.Response]], repeat: int, figures: list[str]
) -> httpx.Response:
    durations = []
    response = None
    for _ in range(repeat):
        began = time.perf_counter()
        response = await call()
        durations.append((time.perf_counter() - began) * 1000)
        assert response.status_code in (200, 201), response.text
    assert response is not None
    figures.append(f"{label:<58} median {statistics.median(durations):8.1f} ms  (n={repeat})")
    return response


async def test_figures_at_province_scale(
    scale_app: FastAPI, postgres_settings: PlatformSettings
) -> None:
    rng = random.Random(6)
    began = time.perf_counter()
    expected = await _seed(scale_app, rng)
    figures = [
        f"seeded {VOLUNTEERS} volunteers, {RECORDS} records in {time.perf_counter() - began:.1f} s"
    ]
    async with api_client(scale_app) as client:
        api = Api(client, postgres_settings, scale_app)
        official = api.official()
        async with runtime_of(scale_app).database.engine.begin() as connection:
            await connection.exec_driver_sql("ANALYZE")
        need = await api.create_need(
            "620102003004", kind="sign_language", skills=["transport", "companionship"]
        )
        ranked = await _timed(
            "GET /v1/needs/{id}/candidates (30,000 in the city)",
            lambda: client.get(f"/v1/needs/{need['id']}/candidates", headers=official),
            20,
            figures,
        )
        best = ranked.json()
        assert len(best) == 20
        assert best[0]["skills_matched"] == 3
        assert [c["skills_matched"] for c in best] == sorted(
            (c["skills_matched"] for c in best), reverse=True
        )

        report = await _timed(
            "GET /v1/reports/service (province, 100,000 records, 1 year)",
            lambda: client.get(
                "/v1/reports/service",
                params={"division": "62", "from": "2025-01-01", "to": "2026-12-31"},
                headers=official,
            ),
            5,
            figures,
        )
        total = report.json()["total"]
        assert total["records"] == RECORDS
        assert total["person_times"] == expected["person_times"]
        assert total["hours"] == round(expected["minutes"] / 60, 2)
        assert len(report.json()["rows"]) == 14

        volunteers = await _timed(
            "GET /v1/reports/volunteers (province)",
            lambda: client.get(
                "/v1/reports/volunteers", params={"division": "62"}, headers=official
            ),
            5,
            figures,
        )
        assert volunteers.json()["total"]["registered"] == VOLUNTEERS
        await _timed(
            "GET /v1/volunteers?skill=sign_language (city, page of 50)",
            lambda: client.get(
                "/v1/volunteers",
                params={"division": CITY, "skill": "sign_language"},
                headers=official,
            ),
            10,
            figures,
        )

        volunteer = await api.register_by_station("620102003004")
        me = api.volunteer(volunteer["id"])
        first_day = datetime.now(UTC) - timedelta(days=60)
        batch = {
            "records": [
                {
                    "client_id": f"batch-{number}",
                    "service_kind": "companionship",
                    "checked_in_at": (first_day + timedelta(hours=5 * number)).isoformat(),
                    "checked_out_at": (first_day + timedelta(hours=5 * number + 2)).isoformat(),
                    "person_times": 1,
                }
                for number in range(200)
            ]
        }
        submitted = await _timed(
            "POST /v1/me/service-records/batch (200 new records)",
            lambda: client.post("/v1/me/service-records/batch", json=batch, headers=me),
            1,
            figures,
        )
        assert submitted.json()["accepted"] == 200
        retried = await _timed(
            "POST /v1/me/service-records/batch (same 200 again)",
            lambda: client.post("/v1/me/service-records/batch", json=batch, headers=me),
            1,
            figures,
        )
        assert retried.json()["duplicates"] == 200
        record_ids = iter(item["record_id"] for item in submitted.json()["results"])
        await _timed(
            "POST /v1/service-records/{id}/confirm",
            lambda: client.post(
                f"/v1/service-records/{next(record_ids)}/confirm",
                headers={**official, "If-Match": '"1"'},
            ),
            50,
            figures,
        )
    print("\n" + "\n".join(figures))
