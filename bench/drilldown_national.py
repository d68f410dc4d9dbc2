"""Drill-down from the nation with all of China's divisions loaded (665,271): one indicator
with a national target, every township (41,352) or every village (620,573) sorted by gap, a
page of 50, p50 and p95 of the API against the goals (≤ 200 ms to townships, ≤ 1 s to
villages).

The coverage counters are what the rollup holds when about 60% of the villages have an
association (filled by one aggregate per level, as the drill-down benchmark fills the card
counters), so this benchmark measures reads, not ingestion."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx

from bench.environment import uvicorn_process
from bench.report import Figure, Report
from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.metrics.app import service_descriptor as metrics
from canlian.metrics.settings import MetricsSettings

NATION = "000000000000"
PLAN = "cn-bench"
INDICATOR = "grassroots-organisation-coverage"
GOALS_MS = {"township": 200.0, "village": 1000.0}


async def _fill(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "DELETE FROM metrics.counters WHERE counter = 'association_coverage.village'"
        )
        # A village is covered with probability 0.6, hashed from its code (stable per run).
        for length in (12, 9, 6, 4, 2, 0):
            await connection.execute(
                "INSERT INTO metrics.counters (division_code, counter, value) "
                "SELECT rpad(substr(code, 1, $1), 12, '0'), 'association_coverage.village', "
                "count(*) FROM metrics.divisions "
                "WHERE level = 5 AND abs(hashtext(code)) % 10 < 6 GROUP BY 1 "
                # A city without counties (Dongguan 4419) is its own county-level prefix.
                "ON CONFLICT DO NOTHING",
                length,
            )
        await connection.execute("ANALYZE metrics.counters")
    finally:
        await connection.close()


async def _plan(url: str, headers: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:
        body = {
            "code": PLAN,
            "name": "全国基层组织建设(基准)",
            "region": NATION,
            "start_year": 2021,
            "end_year": 2025,
            "midterm_year": 2023,
        }
        (await client.post("/v1/plans", json=body)).raise_for_status()
        targets = {
            "targets": [
                {"indicator": INDICATOR, "region": NATION, "comparator": "ge", "final_value": 100}
            ]
        }
        (await client.put(f"/v1/plans/{PLAN}/targets", json=targets)).raise_for_status()


async def _timed(url: str, headers: dict[str, str], level: str, runs: int) -> list[float]:
    path = f"/v1/regions/{NATION}/indicators/{INDICATOR}/children"
    params = {"plan": PLAN, "level": level, "limit": "50"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=600) as client:
        first = await client.get(path, params=params)
        first.raise_for_status()
        assert len(first.json()["children"]) == 50
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            (await client.get(path, params=params)).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
        return timings


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(report: Report, database_url: str, workdir: Path, *, runs: int) -> None:
    settings = MetricsSettings(
        database_url=database_url,
        canlian_data_dir=workdir / "data",
        canlian_environment="development",
    )
    asyncio.run(upgrade(metrics, settings))
    env = {
        "DATABASE_URL": database_url,
        "CANLIAN_DATA_DIR": str(workdir / "data"),
        "CANLIAN_ENVIRONMENT": "development",
        "CANLIAN_RUN_WORKERS": "false",
    }
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "canlian.cli", "metrics", "divisions", "load"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    load_seconds = time.perf_counter() - started
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    asyncio.run(_fill(dsn))
    token = auth.issue_token(settings, subject="bench", roles=[auth.OFFICIAL], region=NATION)
    headers = {"Authorization": f"Bearer {token}"}
    with uvicorn_process(metrics.app_factory, env, workdir / "metrics-national.log") as url:
        started = time.perf_counter()
        # Setting the national target builds the plan's kept rankings (every level).
        asyncio.run(_plan(url, headers))
        target_seconds = time.perf_counter() - started
        for level, count, how_many in (
            ("township", "41,352 townships", runs),
            ("village", "620,573 villages", max(5, runs // 4)),
        ):
            timings = asyncio.run(_timed(url, headers, level, how_many))
            p50, p95 = statistics.median(timings), _p95(timings)
            goal = GOALS_MS[level]
            report.add(
                Figure(
                    "drill-down",
                    f"nation → every {level} ({count}), page of 50 by gap (API p50)",
                    p50,
                    "ms",
                    "goal",
                    goal,
                    goal=f"≤ {goal:,.0f} ms at p50",
                    higher_is_better=False,
                    note=f"p95 {p95:,.0f} ms over {how_many} requests; "
                    + ("met" if p50 <= goal else "not met")
                    + f"; all of China loaded in {load_seconds:.0f} s"
                    + f"; the target set (rankings built) in {target_seconds:.1f} s",
                )
            )
