"""The first workflow between two domain services by events alone, on real PostgreSQL and
Kafka with each service a uvicorn process as in production: a need the needs service refers
to the volunteers becomes a volunteers' need, a volunteer's confirmed service record serves
it, and the needs service shows it closed. Replayed events are absorbed exactly once: the
inbox knows them. Rated unsatisfied, reopened and referred again, it is served again."""

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from canlian.common import auth
from canlian.common.events import needs as needs_events
from canlian.common.events import volunteers as volunteers_events
from canlian.common.messaging.kafka import topic_partitions

from ..faults.rig import FaultRig
from .steps import eventually, with_etag

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

VILLAGE = "620102003004"  # 兰州市城关区, within the rig's official's county
GANSU = "620000000000"


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[FaultRig]:
    rig = FaultRig(tmp_path, services=("needs", "volunteers"))
    try:
        rig.start()
        yield rig
    finally:
        rig.stop()


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, body: object
) -> httpx.Response:
    need_url = url.rsplit("/", 1)[0]
    response = await client.post(url, json=body, headers=await with_etag(client, need_url, headers))
    assert response.status_code == 200, response.text
    return response


async def _legal_aid_need(
    client: httpx.AsyncClient,
    needs_url: str,
    official: dict[str, str],
    members: list[dict[str, Any]],
    description: str,
) -> str:
    """A household of the village filed, and its walk-in need for legal aid recorded: its id."""
    household = await client.post(
        f"{needs_url}/v1/households",
        json={
            "division_code": VILLAGE,
            "address": "甘肃省兰州市城关区某街道幸福巷12号",
            "flags": [],
            "members": members,
        },
        headers=official,
    )
    assert household.status_code == 201, household.text
    recorded = await client.post(
        f"{needs_url}/v1/needs",
        json={
            "household_id": household.json()["id"],
            "category": "legal_aid",
            "channel": "walk_in",
            "description": description,
        },
        headers=official,
    )
    assert recorded.status_code == 201, recorded.text
    need_id: str = recorded.json()["id"]
    return need_id


async def _drained(rig: FaultRig, group: str, topic: str) -> None:
    """Until the group has committed every offset of the topic."""
    consumer = AIOKafkaConsumer(bootstrap_servers=rig.kafka.bootstrap_servers, group_id=group)
    await consumer.start()
    try:
        partitions = await topic_partitions(rig.kafka.bootstrap_servers, [topic])
        deadline = time.monotonic() + 60
        while True:
            ends = await consumer.end_offsets(partitions)
            committed = {p: (await consumer.committed(p)) or 0 for p in partitions}
            if all(committed[p] >= ends[p] for p in partitions):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"group {group} lags on {topic}: {committed} < {ends}")
            await asyncio.sleep(0.2)
    finally:
        await consumer.stop()


async def _replay(rig: FaultRig, schema: str, event_type: str, subject: str) -> str:
    """Publish again, as the bus may, the event a service's outbox already sent; its id."""
    connection = await asyncpg.connect(rig.postgres.dsn)
    try:
        row = await connection.fetchrow(
            f"SELECT event_id, topic, partition_key, envelope FROM {schema}.outbox "  # noqa: S608 - fixed names
            "WHERE event_type = $1 AND partition_key = $2 AND published_at IS NOT NULL",
            event_type,
            subject,
        )
    finally:
        await connection.close()
    assert row is not None, f"{event_type} of {subject} was never published"
    producer = AIOKafkaProducer(bootstrap_servers=rig.kafka.bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(
            row["topic"], value=row["envelope"].encode(), key=row["partition_key"].encode()
        )
    finally:
        await producer.stop()
    return str(row["event_id"])


async def _count(rig: FaultRig, query: str, *args: object) -> int:
    connection = await asyncpg.connect(rig.postgres.dsn)
    try:
        return int(await connection.fetchval(query, *args))
    finally:
        await connection.close()


async def test_a_need_referred_to_the_volunteers_is_served_there_and_closes(
    platform: FaultRig,
) -> None:
    official = platform.official()
    needs_url = platform.services["needs"].url
    volunteers_url = platform.services["volunteers"].url
    async with httpx.AsyncClient(timeout=30) as client:
        need_id = await _legal_aid_need(
            client,
            needs_url,
            official,
            [
                {"name": "张建国", "relation": "head"},
                {"name": "张一", "relation": "child", "disabled": True, "person_id": "p0"},
            ],
            "张一需要法律援助",
        )
        need_url = f"{needs_url}/v1/needs/{need_id}"
        await _step(client, official, f"{need_url}/assessment", {"assessment": "需法律咨询"})
        await _step(client, official, f"{need_url}/referral", {"target": "volunteers"})

        # The volunteers service learns of it from the needs service's events only.
        async def opened() -> dict[str, Any] | None:
            listed = await client.get(
                f"{volunteers_url}/v1/needs", params={"region": VILLAGE}, headers=official
            )
            assert listed.status_code == 200, listed.text
            return next((n for n in listed.json()["items"] if n["source_need_id"] == need_id), None)

        need = await eventually(opened, "the volunteers' need")
        assert (need["division_code"], need["kind"], need["requested_by"]) == (
            VILLAGE,
            "legal_aid",
            "referral",
        )
        assert "张" not in str(need)  # nothing personal crossed over

        volunteer = await client.post(
            f"{volunteers_url}/v1/volunteers",
            json={
                "name": "王小明",
                "phone": "13912345678",
                "division_code": VILLAGE,
                "skills": ["legal_aid"],
            },
            headers=official,
        )
        assert volunteer.status_code == 201, volunteer.text
        token = auth.issue_token(
            platform.settings,
            subject=volunteer.json()["id"],
            roles=[auth.VOLUNTEER],
            region=GANSU,
        )
        me = {"Authorization": f"Bearer {token}"}
        mine = f"{volunteers_url}/v1/me/needs/{need['id']}"
        accepted = await client.post(f"{mine}/accept", headers=await with_etag(client, mine, me))
        assert accepted.status_code == 200, accepted.text
        start = datetime.now(UTC) - timedelta(hours=2)
        submitted = await client.post(
            f"{volunteers_url}/v1/me/service-records/batch",
            json={
                "records": [
                    {
                        "client_id": "referral-1",
                        "need_id": need["id"],
                        "checked_in_at": start.isoformat(),
                        "checked_out_at": (start + timedelta(hours=1)).isoformat(),
                        "person_times": 1,
                    }
                ]
            },
            headers=me,
        )
        assert submitted.json()["accepted"] == 1, submitted.text
        record_url = f"{volunteers_url}/v1/service-records/"
        record_url += submitted.json()["results"][0]["record_id"]
        confirmed = await client.post(
            f"{record_url}/confirm", headers=await with_etag(client, record_url, official)
        )
        assert confirmed.status_code == 200, confirmed.text

        # The needs service closes its need from the volunteers service's event.
        async def closed() -> dict[str, Any] | None:
            read = await client.get(need_url, headers=official)
            body: dict[str, Any] = read.json()
            return body if body["status"] == "closed" else None

        done = await eventually(closed, "the closing in the needs service")
        assert done["closed_within_deadline"] is True
        assert "志愿者服务已完成" in done["outcome"]

        # The bus delivers both events again: each is absorbed once, by the inbox.
        referred_id = await _replay(
            platform, "needs", needs_events.NeedReferred.event_type, need_id
        )
        fulfilled_id = await _replay(
            platform, "volunteers", volunteers_events.ReferredNeedFulfilled.event_type, need_id
        )
        await _drained(platform, "volunteers-referrals", needs_events.TOPIC)
        await _drained(platform, "needs-volunteer-outcomes", volunteers_events.TOPIC)
        assert (
            await _count(
                platform, "SELECT count(*) FROM volunteers.needs WHERE source_need_id = $1", need_id
            )
            == 1
        )
        for schema, consumer, event_id in (
            ("volunteers", "volunteers-referrals", referred_id),
            ("needs", "needs-volunteer-outcomes", fulfilled_id),
        ):
            assert (
                await _count(
                    platform,
                    f"SELECT count(*) FROM {schema}.inbox WHERE consumer = $1 AND event_id = $2",  # noqa: S608 - fixed names
                    consumer,
                    event_id,
                )
                == 1
            )
        assert (
            await _count(
                platform,
                "SELECT count(*) FROM needs.outbox WHERE event_type = $1 AND partition_key = $2",
                needs_events.NeedClosed.event_type,
                need_id,
            )
            == 1
        )
        after = await client.get(need_url, headers=official)
        assert after.json()["version"] == done["version"]


async def _serve(
    client: httpx.AsyncClient,
    platform: FaultRig,
    volunteers_url: str,
    need: dict[str, Any],
    volunteer_id: str,
    client_id: str,
    hours_ago: int,
) -> None:
    """The volunteer accepts the volunteers' need and records service; an official confirms."""
    official = platform.official()
    token = auth.issue_token(
        platform.settings, subject=volunteer_id, roles=[auth.VOLUNTEER], region=GANSU
    )
    me = {"Authorization": f"Bearer {token}"}
    mine = f"{volunteers_url}/v1/me/needs/{need['id']}"
    accepted = await client.post(f"{mine}/accept", headers=await with_etag(client, mine, me))
    assert accepted.status_code == 200, accepted.text
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    submitted = await client.post(
        f"{volunteers_url}/v1/me/service-records/batch",
        json={
            "records": [
                {
                    "client_id": client_id,
                    "need_id": need["id"],
                    "checked_in_at": start.isoformat(),
                    "checked_out_at": (start + timedelta(hours=1)).isoformat(),
                    "person_times": 1,
                }
            ]
        },
        headers=me,
    )
    assert submitted.json()["accepted"] == 1, submitted.text
    record_url = f"{volunteers_url}/v1/service-records/"
    record_url += submitted.json()["results"][0]["record_id"]
    confirmed = await client.post(
        f"{record_url}/confirm", headers=await with_etag(client, record_url, official)
    )
    assert confirmed.status_code == 200, confirmed.text


async def test_a_need_reopened_and_referred_again_is_served_again(platform: FaultRig) -> None:
    official = platform.official()
    needs_url = platform.services["needs"].url
    volunteers_url = platform.services["volunteers"].url
    async with httpx.AsyncClient(timeout=30) as client:
        need_id = await _legal_aid_need(
            client,
            needs_url,
            official,
            [{"name": "张建国", "relation": "head", "disabled": True}],
            "需要法律援助",
        )
        need_url = f"{needs_url}/v1/needs/{need_id}"
        volunteer = await client.post(
            f"{volunteers_url}/v1/volunteers",
            json={
                "name": "王小明",
                "phone": "13912345679",
                "division_code": VILLAGE,
                "skills": ["legal_aid"],
            },
            headers=official,
        )
        assert volunteer.status_code == 201, volunteer.text

        async def opened(status: str) -> dict[str, Any] | None:
            listed = await client.get(
                f"{volunteers_url}/v1/needs", params={"region": VILLAGE}, headers=official
            )
            assert listed.status_code == 200, listed.text
            return next(
                (
                    n
                    for n in listed.json()["items"]
                    if n["source_need_id"] == need_id and n["status"] == status
                ),
                None,
            )

        async def closed() -> dict[str, Any] | None:
            read = await client.get(need_url, headers=official)
            body: dict[str, Any] = read.json()
            return body if body["status"] == "closed" else None

        first_id = None
        for round_ in (1, 2):
            await _step(client, official, f"{need_url}/assessment", {"assessment": "需法律咨询"})
            await _step(client, official, f"{need_url}/referral", {"target": "volunteers"})
            need = await eventually(lambda: opened("open"), f"the volunteers' need {round_}")
            assert need["id"] != first_id
            first_id = need["id"]
            await _serve(
                client,
                platform,
                volunteers_url,
                need,
                volunteer.json()["id"],
                f"r-{round_}",
                6 - 2 * round_,
            )
            done = await eventually(closed, f"the closing {round_} in the needs service")
            assert done["closed_within_deadline"] is True
            if round_ == 1:
                await _step(
                    client,
                    official,
                    f"{need_url}/satisfaction",
                    {"satisfaction": "unsatisfied", "reason": "未解决"},
                )
                await _step(client, official, f"{need_url}/reopen", {})
        assert (
            await _count(
                platform, "SELECT count(*) FROM volunteers.needs WHERE source_need_id = $1", need_id
            )
            == 2
        )
