"""Faults the platform must survive without losing or corrupting a figure. After each one,
reconciliation against the source service finds zero differences and every write that was
acknowledged to a client is present.

Each test has its own PostgreSQL and Kafka broker, because the tests stop them."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaProducer

from canlian.testing.workloads import CardFlows

from .rig import FaultRig

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[FaultRig]:
    rig = FaultRig(tmp_path)
    try:
        rig.start()
        yield rig
    finally:
        rig.stop()


async def _assert_reconciled(rig: FaultRig, acknowledged: list[int]) -> None:
    await rig.wait_caught_up()
    outcome = await rig.reconcile()
    assert outcome.rollups.differences == []
    assert outcome.source == [], outcome.source[:10]
    assert any("card-snapshots" in checked for checked in outcome.sources_checked)
    async with httpx.AsyncClient(base_url=rig.services["cards"].url) as client:
        headers = {"Authorization": f"Bearer {rig.admin_token()}"}
        for card_id in acknowledged:
            response = await client.get(f"/v1/cards/{card_id}", headers=headers)
            assert response.status_code == 200, (card_id, response.text)


async def _issue(flows: CardFlows, numbers: range) -> None:
    # A few clerks at once, as in a busy county office.
    queue = list(numbers)

    async def clerk() -> None:
        while queue:
            await flows.issue(queue.pop(0))

    await asyncio.gather(*(clerk() for _ in range(4)))


async def test_metrics_consumer_killed_three_times_during_writes(rig: FaultRig) -> None:
    metrics = rig.services["metrics"]
    async with httpx.AsyncClient(
        base_url=rig.services["cards"].url, headers=rig.official(), timeout=30
    ) as client:
        flows = CardFlows(client)
        for round_ in range(3):
            await _issue(flows, range(round_ * 12, round_ * 12 + 12))
            metrics.kill()  # kill -9: no shutdown, mid-batch if it was busy
            await _issue(flows, range(100 + round_ * 5, 100 + round_ * 5 + 5))
            metrics.start()
    assert len(flows.issued) == 51
    await _assert_reconciled(rig, flows.issued)


async def test_broker_down_for_20_seconds_writes_keep_being_accepted(rig: FaultRig) -> None:
    async with httpx.AsyncClient(
        base_url=rig.services["cards"].url, headers=rig.official(), timeout=30
    ) as client:
        flows = CardFlows(client)
        await _issue(flows, range(0, 5))
        await asyncio.to_thread(rig.kafka.halt)
        loop = asyncio.get_running_loop()
        started = loop.time()
        number = 5
        while loop.time() - started < 20:
            await flows.issue(number)  # raises unless every step is acknowledged
            number += 1
        await asyncio.to_thread(rig.kafka.start)
        await _issue(flows, range(1000, 1005))
    assert len(flows.issued) == number - 5 + 10
    await _assert_reconciled(rig, flows.issued)


async def test_database_down_gives_503_problems_and_recovers_without_restart(
    rig: FaultRig,
) -> None:
    cards = rig.services["cards"]
    async with httpx.AsyncClient(base_url=cards.url, headers=rig.official(), timeout=30) as client:
        flows = CardFlows(client)
        await _issue(flows, range(0, 3))
        await asyncio.to_thread(rig.postgres.halt)
        try:
            refused = await client.post(
                "/v1/persons",
                json={
                    "citizen_id": "11010519491231002X",
                    "name": "赵六",
                    "residence_division_code": "620102001001",
                },
            )
            ready = await client.get("/readyz")
        finally:
            await asyncio.to_thread(rig.postgres.start)
        assert refused.status_code == 503, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert ready.status_code == 503
        assert "database" in ready.json()["down"]
        recovered = False
        for _ in range(60):
            if (await client.get("/readyz")).status_code == 200:
                recovered = True
                break
            await asyncio.sleep(0.5)
        assert recovered, cards.log()[-2000:]
        await _issue(flows, range(3, 8))
    assert cards.process is not None
    assert cards.process.poll() is None  # never restarted
    await _assert_reconciled(rig, flows.issued)


async def test_every_event_delivered_twice(rig: FaultRig) -> None:
    async with httpx.AsyncClient(
        base_url=rig.services["cards"].url, headers=rig.official(), timeout=30
    ) as client:
        flows = CardFlows(client)
        await _issue(flows, range(0, 12))
    await rig.wait_caught_up()
    # Send every committed event a second time, as a relay retrying after a lost ack would.
    connection = await asyncpg.connect(rig.postgres.dsn)
    try:
        rows = await connection.fetch(
            "SELECT topic, partition_key, envelope FROM cards.outbox ORDER BY seq"
        )
    finally:
        await connection.close()
    producer = AIOKafkaProducer(bootstrap_servers=rig.kafka.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for row in rows:
            await producer.send_and_wait(
                row["topic"], row["envelope"].encode(), key=row["partition_key"].encode()
            )
    finally:
        await producer.stop()
    assert len(rows) >= 12 * 5
    await rig.wait_group_drained("metrics-rollups")
    await _assert_reconciled(rig, flows.issued)
