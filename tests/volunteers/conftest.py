from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common import auth
from canlian.common.events.base import CloudEvent
from canlian.common.settings import PlatformSettings
from canlian.testing.databases import fresh_database
from canlian.testing.services import (
    api_client,
    bearer,
    if_match,
    rebuild_schema,
    rolled_back,
    runtime_of,
)
from canlian.volunteers.app import create_app, service_descriptor
from canlian.volunteers.service_records.models import ServiceRecord

GANSU = "620000000000"
CHENGGUAN = "620102000000"  # 兰州市城关区
CHENGGUAN_TOWNSHIP = "620102003000"
CHENGGUAN_VILLAGE = "620102003004"
CHENGGUAN_OTHER_VILLAGE = "620102003005"
QILIHE = "620103000000"  # 兰州市七里河区, same city
TIANSHUI = "620500000000"  # another city


@pytest.fixture(scope="session")
async def volunteers_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, postgres_settings)
    app = create_app(postgres_settings)
    yield app
    await runtime_of(app).database.dispose()


@dataclass
class Api:
    """The app under test with tokens for officials and volunteers."""

    client: httpx.AsyncClient
    settings: PlatformSettings
    app: FastAPI
    _keys: dict[str, str] = field(default_factory=dict)

    def official(self, region: str = GANSU, **extra: Any) -> dict[str, str]:
        return bearer(self.settings, roles=[auth.OFFICIAL], region=region, **extra)

    def volunteer(self, subject: str, region: str = GANSU) -> dict[str, str]:
        return bearer(self.settings, roles=[auth.VOLUNTEER], region=region, subject=subject)

    async def register_by_station(
        self,
        division: str = CHENGGUAN_VILLAGE,
        *,
        skills: list[str] | None = None,
        availability: list[dict[str, Any]] | None = None,
        team_id: str | None = None,
        phone: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": "王小明",
            "phone": phone or fresh_phone(),
            "division_code": division,
            "skills": skills or ["companionship"],
            "availability": availability or [],
        }
        if team_id:
            body["team_id"] = team_id
        response = await self.client.post("/v1/volunteers", json=body, headers=self.official())
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def create_team(self, division: str = CHENGGUAN) -> str:
        response = await self.client.post(
            "/v1/teams",
            json={"name": "城关助残队", "division_code": division},
            headers=self.official(),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def create_need(self, division: str = CHENGGUAN_VILLAGE, **fields: Any) -> dict[str, Any]:
        starts = fields.pop("starts_at", datetime.now(UTC) + timedelta(days=1))
        body = {
            "division_code": division,
            "kind": "companionship",
            "title": "陪同就医",
            "requested_by": "association",
            "starts_at": starts.isoformat(),
            "ends_at": fields.pop("ends_at", starts + timedelta(hours=3)).isoformat(),
            **fields,
        }
        response = await self.client.post("/v1/needs", json=body, headers=self.official())
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def events(self, event_type: str) -> list[CloudEvent]:
        runtime = runtime_of(self.app)
        outbox = runtime.tables.outbox
        async with runtime.database.session() as session:
            rows = await session.execute(
                select(outbox.c.envelope)
                .where(outbox.c.event_type == event_type)
                .order_by(outbox.c.seq)
            )
            return [CloudEvent.model_validate_json(row.envelope) for row in rows]


async def scratch_settings(settings: PlatformSettings, database: str) -> PlatformSettings:
    """The same server with a fresh database of its own (for tests that really commit)."""
    return await fresh_database(settings, database)


BATCH = "/v1/me/service-records/batch"


def service_record(start: datetime, hours: float, **fields: Any) -> dict[str, Any]:
    return {
        "client_id": fields.pop("client_id", str(uuid.uuid4())),
        "service_kind": "companionship",
        "checked_in_at": start.isoformat(),
        "checked_out_at": (start + timedelta(hours=hours)).isoformat(),
        "person_times": 2,
        **fields,
    }


def days_ago(days: int, hour: int = 1) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return base.replace(hour=hour) - timedelta(days=days)


async def record_count(api: Api, volunteer_id: str) -> int:
    async with runtime_of(api.app).database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ServiceRecord)
            .where(ServiceRecord.volunteer_id == volunteer_id)
        )
    return int(count or 0)


async def team_with_leader(api: Api) -> tuple[str, dict[str, Any], dict[str, Any]]:
    team_id = await api.create_team()
    member = await api.register_by_station(team_id=team_id)
    leader = await api.register_by_station(team_id=team_id)
    response = await api.client.put(
        f"/v1/teams/{team_id}/leader",
        json={"volunteer_id": leader["id"]},
        headers=await if_match(api.client, f"/v1/teams/{team_id}", api.official()),
    )
    assert response.status_code == 200, response.text
    return team_id, member, leader


def fresh_phone() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


@pytest.fixture
async def api(volunteers_app: FastAPI, postgres_settings: PlatformSettings) -> AsyncIterator[Api]:
    async with rolled_back(volunteers_app), api_client(volunteers_app) as client:
        yield Api(client, postgres_settings, volunteers_app)
