"""Freshness: from the source commit to the rollup commit, under steady writes through the
real APIs. The cards service takes applications through to issued cards at a steady rate;
its events travel outbox -> Kafka -> the metrics consumer. Each event's source time is its
outbox row (written in the source transaction), its arrival the metrics inbox row (written
in the rollup transaction): both sit in the same PostgreSQL, so no clocks are compared."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import asyncpg
import httpx

from bench.environment import uvicorn_process
from bench.report import Figure, Report
from canlian.common import auth
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.services import rebuild_schema
from canlian.testing.workloads import CardFlows

COUNTY = "620102000000"  # 兰州市城关区
VILLAGE = "620102001001"


async def _drive(url: str, headers: dict[str, str], rate: float, seconds: float) -> int:
    """Issue cards at `rate` per second for `seconds`; returns how many flows completed."""
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        flows = CardFlows(client, county=COUNTY, village=VILLAGE, seed=7)
        await flows.institution()
        tasks: list[asyncio.Task[int]] = []
        started = time.perf_counter()
        number = 0
        while time.perf_counter() - started < seconds:
            tasks.append(asyncio.create_task(flows.issue(number)))
            number += 1
            await asyncio.sleep(max(0.0, started + number / rate - time.perf_counter()))
        results = await asyncio.gather(*tasks, return_exceptions=True)
        return sum(1 for result in results if isinstance(result, int))


async def _lags(dsn: str, consumer: str, expected: int, wait_seconds: float = 60.0) -> list[float]:
    connection = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            rows = await connection.fetch(
                "SELECT extract(epoch FROM i.received_at - o.created_at) AS lag "
                "FROM cards.outbox o JOIN metrics.inbox i ON i.event_id = o.event_id "
                "WHERE i.consumer = $1",
                consumer,
            )
            if len(rows) >= expected or time.monotonic() > deadline:
                return [float(row["lag"]) for row in rows]
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


def run(
    report: Report,
    database_url: str,
    bootstrap: str,
    workdir: Path,
    *,
    rate: float,
    seconds: float,
) -> None:
    settings = PlatformSettings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        canlian_data_dir=workdir / "data",
        canlian_environment="development",
    )
    services = {service.name: service for service in installed_services()}
    # From empty services: a register imported earlier in the run waits in the cards outbox,
    # and its million events, published once the cards service starts, were what a full run
    # measured (lags of 21 minutes).
    for name in ("cards", "metrics"):
        asyncio.run(rebuild_schema(services[name], settings))
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "CANLIAN_DATA_DIR": str(workdir / "data"),
        "CANLIAN_ENVIRONMENT": "development",
        "OUTBOX_POLL_SECONDS": "0.2",
    }
    token = auth.issue_token(settings, subject="bench", roles=[auth.OFFICIAL], region=COUNTY)
    headers = {"Authorization": f"Bearer {token}"}
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    with (
        uvicorn_process(services["metrics"].app_factory, env, workdir / "metrics.log"),
        uvicorn_process(services["cards"].app_factory, env, workdir / "cards.log") as cards_url,
    ):
        flows = asyncio.run(_drive(cards_url, headers, rate, seconds))
        # Every flow writes 6 events (4 application steps, the card, the fulfilment).
        lags = asyncio.run(_lags(dsn, "metrics-rollups", expected=flows * 5))
    if not lags:
        report.add(
            Figure(
                "freshness",
                "source commit → rollup commit",
                None,
                "ms",
                note="no events reached the rollups",
            )
        )
        return
    ordered = sorted(lags)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(int(0.99 * len(ordered)), len(ordered) - 1)] * 1000
    note = f"{len(lags)} events from {flows} issued cards at {rate:g} cards/s for {seconds:g} s"
    report.add(
        Figure(
            "freshness",
            "source commit → rollup commit p50",
            p50,
            "ms",
            higher_is_better=False,
            note=note,
        )
    )
    report.add(
        Figure(
            "freshness",
            "source commit → rollup commit p99",
            p99,
            "ms",
            goal="p99 ≤ 1,000 ms",
            higher_is_better=False,
            note="met" if p99 <= 1000 else "not met",
        )
    )
