"""The issue's "done when", committed for real: a volunteer registers from the app, accepts a
need, submits an offline batch (twice) that the team leader confirms, reaches a star level;
officials see hours and person-times; the events reach the bus exactly once per change.
Run on PostgreSQL + Kafka and on the embedded SQLite + event log."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.events.base import CloudEvent
from canlian.common.events.volunteers import TOPIC
from canlian.common.messaging.bus import make_subscriber
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.settings import PlatformSettings
from canlian.testing.services import api_client, bearer, if_match, rebuild_schema, runtime_of
from canlian.volunteers.app import create_app, service_descriptor

CHENGGUAN = "620102000000"
VILLAGE = "620102003004"


async def _run_flow(client: httpx.AsyncClient, settings: PlatformSettings) -> dict[str, Any]:
    official = bearer(settings, roles=[auth.OFFICIAL], region=CHENGGUAN, subject="clerk")
    station = await client.post(
        "/v1/stations",
        json={"name": "城关区志愿服务站", "level": "county_station", "division_code": CHENGGUAN},
        headers=official,
    )
    assert station.status_code == 201, station.text
    team = await client.post(
        "/v1/teams",
        json={"name": "手语服务队", "division_code": CHENGGUAN, "station_id": station.json()["id"]},
        headers=official,
    )
    team_id = team.json()["id"]

    # Registration from the app: the identity provider's subject becomes the volunteer id.
    subject = f"idp-{uuid.uuid4().hex[:12]}"
    app_token = bearer(settings, roles=[auth.VOLUNTEER], region="620000000000", subject=subject)
    registered = await client.post(
        "/v1/me/registration",
        json={
            "name": "赵敏",
            "phone": "13800138000",
            "division_code": VILLAGE,
            "skills": ["companionship", "sign_language"],
            "availability": [{"weekday": day, "period": "morning"} for day in range(1, 8)],
        },
        headers={**app_token, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert registered.status_code == 201, registered.text
    joined = await client.patch(
        f"/v1/volunteers/{subject}",
        json={"team_id": team_id},
        headers=await if_match(client, f"/v1/volunteers/{subject}", official),
    )
    assert joined.status_code == 200, joined.text
    leader = await client.post(
        "/v1/volunteers",
        json={
            "name": "钱队长",
            "phone": "13900139000",
            "division_code": CHENGGUAN,
            "team_id": team_id,
        },
        headers=official,
    )
    leader_id = leader.json()["id"]
    await client.put(
        f"/v1/teams/{team_id}/leader",
        json={"volunteer_id": leader_id},
        headers=await if_match(client, f"/v1/teams/{team_id}", official),
    )
    policy = await client.put(
        f"/v1/star-policies/{CHENGGUAN}",
        json={"thresholds_hours": [1, 2, 3, 4, 5]},
        headers=official,
    )
    assert policy.status_code == 200

    now = datetime.now(UTC).replace(microsecond=0)
    need = await client.post(
        "/v1/needs",
        json={
            "division_code": VILLAGE,
            "kind": "sign_language",
            "title": "陪同听障人士办理业务",
            "requested_by": "association",
            "persons": 3,
            "starts_at": (now - timedelta(hours=3)).isoformat(),
            "ends_at": (now + timedelta(hours=1)).isoformat(),
        },
        headers=official,
    )
    need_id = need.json()["id"]
    candidates = await client.get(f"/v1/needs/{need_id}/candidates", headers=official)
    assert candidates.json()["items"][0]["volunteer_id"] == subject
    offered = await client.get("/v1/me/needs", headers=app_token)
    assert [item["id"] for item in offered.json()["items"]] == [need_id]
    accepted = await client.post(
        f"/v1/me/needs/{need_id}/accept",
        headers=await if_match(client, f"/v1/me/needs/{need_id}", app_token),
    )
    assert accepted.json()["status"] == "accepted"

    batch = {
        "records": [
            {
                "client_id": "offline-0001",
                "need_id": need_id,
                "checked_in_at": (now - timedelta(hours=3)).isoformat(),
                "checked_out_at": (now - timedelta(minutes=30)).isoformat(),
                "person_times": 3,
            },
            {
                "client_id": "offline-0002",
                "service_kind": "companionship",
                "checked_in_at": (now - timedelta(days=2, hours=2)).isoformat(),
                "checked_out_at": (now - timedelta(days=2, hours=1)).isoformat(),
                "person_times": 1,
            },
        ]
    }
    first = (
        await client.post("/v1/me/service-records/batch", json=batch, headers=app_token)
    ).json()
    retry = (
        await client.post("/v1/me/service-records/batch", json=batch, headers=app_token)
    ).json()
    assert (first["accepted"], retry["duplicates"]) == (2, 2)

    leader_token = bearer(settings, roles=[auth.VOLUNTEER], region=CHENGGUAN, subject=leader_id)
    pending = await client.get("/v1/me/team/service-records", headers=leader_token)
    record_ids = [item["id"] for item in pending.json()["items"]]
    assert len(record_ids) == 2
    for record_id in record_ids:
        confirmed = await client.post(
            f"/v1/service-records/{record_id}/confirm",
            headers=await if_match(client, f"/v1/service-records/{record_id}", leader_token),
        )
        assert confirmed.status_code == 200, confirmed.text
    closed = await client.post(
        f"/v1/needs/{need_id}/close",
        json={"outcome": "served"},
        headers=await if_match(client, f"/v1/needs/{need_id}", official),
    )
    assert closed.json()["status"] == "closed"

    me = (await client.get("/v1/me", headers=app_token)).json()
    assert me["star_level"] == 3
    assert me["confirmed_hours"] == 3.5
    assert me["person_times"] == 4

    served_days = sorted({item["served_on"] for item in pending.json()["items"]})
    report = await client.get(
        "/v1/reports/service",
        params={"from": served_days[0], "to": served_days[-1]},
        headers=official,
    )
    assert report.json()["total"]["hours"] == 3.5
    assert report.json()["total"]["person_times"] == 4
    return {"volunteer_id": subject, "leader_id": leader_id, "record_ids": set(record_ids)}


async def _events(
    settings: PlatformSettings, app: FastAPI, flow: dict[str, Any], expected: int
) -> list[CloudEvent]:
    """Publish the outbox, then read the topic from the start for this flow's events (a
    broker given by the environment may hold other runs' events too)."""
    ours = {flow["volunteer_id"], flow["leader_id"]}
    runtime = runtime_of(app)
    await runtime.publisher.start()
    try:
        published = 0
        while (batch := await runtime.relay.publish_pending()) > 0:
            published += batch
    finally:
        await runtime.publisher.stop()
    assert published == expected
    subscriber = make_subscriber(settings, f"check-{uuid.uuid4()}", [TOPIC])
    await subscriber.start()
    seen: list[CloudEvent] = []
    deadline = asyncio.get_running_loop().time() + 60
    try:
        while len(seen) < expected and asyncio.get_running_loop().time() < deadline:
            for message in await subscriber.poll(500, 0.5):
                event = CloudEvent.model_validate_json(message.value)
                if event.data.get("volunteer_id") in ours:
                    seen.append(event)
    finally:
        await subscriber.stop()
    return seen


def _check_events(events: list[CloudEvent], flow: dict[str, Any]) -> None:
    types = [event.type for event in events]
    assert types.count("cn.canlian.volunteers.volunteer.registered") == 2
    assert types.count("cn.canlian.volunteers.volunteer.changed") == 1
    confirmed = [e for e in events if e.type == "cn.canlian.volunteers.service-record.confirmed"]
    assert {event.data["record_id"] for event in confirmed} == flow["record_ids"]
    assert sum(event.data["minutes"] for event in confirmed) == 210
    # 1 h confirmed first (star 1), then 2.5 h more: 3.5 h jumps to star 3 in one event.
    stars = [e for e in events if e.type == "cn.canlian.volunteers.volunteer.star-level-reached"]
    assert [(e.data["previous_star_level"], e.data["star_level"]) for e in stars] == [
        (0, 1),
        (1, 3),
    ]
    assert {e.data["volunteer_id"] for e in stars} == {flow["volunteer_id"]}
    for event in events:
        assert "赵敏" not in event.model_dump_json()
        assert "13800138000" not in event.model_dump_json()


@pytest.fixture
async def kafka_app(
    postgres_settings: PlatformSettings, kafka_bootstrap: str
) -> AsyncIterator[tuple[FastAPI, PlatformSettings]]:
    assert postgres_settings.database_url is not None
    base = postgres_settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(base)
    try:
        await connection.execute('DROP DATABASE IF EXISTS "volunteers_e2e"')
        await connection.execute('CREATE DATABASE "volunteers_e2e"')
    finally:
        await connection.close()
    settings = postgres_settings.model_copy(
        update={
            "database_url": postgres_settings.database_url.rsplit("/", 1)[0] + "/volunteers_e2e",
            "kafka_bootstrap_servers": kafka_bootstrap,
        }
    )
    await rebuild_schema(service_descriptor, settings)
    await ensure_topics(kafka_bootstrap, [TOPIC], settings.kafka_topic_partitions)
    app = create_app(settings)
    yield app, settings
    await runtime_of(app).database.dispose()


@pytest.mark.postgres
@pytest.mark.kafka
async def test_done_when_on_postgresql_and_kafka(
    kafka_app: tuple[FastAPI, PlatformSettings],
) -> None:
    app, settings = kafka_app
    async with api_client(app) as client:
        flow = await _run_flow(client, settings)
    events = await _events(settings, app, flow, expected=7)
    assert len(events) == 7
    _check_events(events, flow)


async def test_done_when_on_the_embedded_database_and_log(
    embedded_settings: PlatformSettings,
) -> None:
    await rebuild_schema(service_descriptor, embedded_settings)
    app = create_app(embedded_settings)
    try:
        async with api_client(app) as client:
            flow = await _run_flow(client, embedded_settings)
        events = await _events(embedded_settings, app, flow, expected=7)
        _check_events(events, flow)
    finally:
        await runtime_of(app).database.dispose()
