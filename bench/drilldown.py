"""Drill-down of a province's indicator to its cities, with 1,000,000 card holders: the
metrics service's API against the naive query a user would write — a recursive walk of the
division tree joined to the card register, aggregated at query time.

Two comparisons: the API (an HTTP request to the service, p50) against the naive query, and,
at the same layer, the SQL the endpoint runs for a request (captured from the service in
process, replayed on one asyncpg connection) against the naive query timed the same way.

The register is generated in PostgreSQL (Gansu's real villages, seed 003's mix); the rollup
counters are what the consumer holds after those cards' events (each card counted in its
village and every ancestor), filled by one aggregate per level rather than 1,000,000 events,
so this benchmark measures reads, not ingestion (see the events benchmark for that)."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI
from sqlalchemy import event

from bench import workload
from bench.environment import uvicorn_process
from bench.report import Figure, Report
from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.metrics.app import create_app
from canlian.metrics.app import service_descriptor as metrics
from canlian.metrics.settings import MetricsSettings
from canlian.testing.services import api_client, runtime_of

PROVINCE = "620000000000"

NAIVE = """
WITH RECURSIVE tree AS (
    SELECT code AS city, code FROM metrics.divisions WHERE parent_code = $1
    UNION ALL
    SELECT tree.city, d.code FROM metrics.divisions d JOIN tree ON d.parent_code = tree.code
)
SELECT tree.city,
       count(*) FILTER (WHERE c.generation = 'smart')::float / nullif(count(*), 0) AS rate
FROM tree JOIN bench_source.cards c ON c.division_code = tree.code AND c.status = 'valid'
GROUP BY tree.city ORDER BY rate
"""


async def _fill(dsn: str, holders: int) -> None:
    villages = workload.villages()
    categories = [c.value for c, w in workload.CATEGORY_WEIGHTS.items() for _ in range(w)]
    grades = [g.value for g, w in workload.GRADE_WEIGHTS.items() for _ in range(w)]
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS bench_source CASCADE")
        await connection.execute("CREATE SCHEMA bench_source")
        await connection.execute(
            "CREATE TABLE bench_source.cards (id bigserial PRIMARY KEY, division_code text, "
            "status text, category int, grade int, generation text)"
        )
        await connection.execute(
            "INSERT INTO bench_source.cards (division_code, status, category, grade, generation) "
            "SELECT ($1::text[])[1 + floor(random() * $2)::int], "
            "CASE WHEN random() < 0.95 THEN 'valid' ELSE 'cancelled' END, "
            "($3::int[])[1 + floor(random() * 100)::int], "
            "($4::int[])[1 + floor(random() * 100)::int], "
            "CASE WHEN random() < 0.7 THEN 'smart' ELSE 'second_generation' END "
            "FROM generate_series(1, $5)",
            villages,
            len(villages),
            categories,
            grades,
            holders,
        )
        await connection.execute("CREATE INDEX ON bench_source.cards (division_code)")
        await connection.execute("ANALYZE bench_source.cards")
        await connection.execute("DELETE FROM metrics.counters WHERE counter LIKE 'cards.%'")
        for length in (12, 9, 6, 4, 2, 0):
            await connection.execute(
                "INSERT INTO metrics.counters (division_code, counter, value) "
                "SELECT rpad(substr(division_code, 1, $1), 12, '0'), counter, count(*) "
                "FROM bench_source.cards, LATERAL (VALUES ('cards.valid'), "
                "(CASE WHEN generation = 'smart' THEN 'cards.valid_smart' "
                "ELSE 'cards.valid_second_generation' END), ('cards.valid.category_' || category), "
                "('cards.valid.grade_' || grade)) AS v(counter) "
                "WHERE status = 'valid' GROUP BY 1, 2",
                length,
            )
        await connection.execute("ANALYZE metrics.counters")
    finally:
        await connection.close()


Statement = tuple[str, tuple[Any, ...]]


async def _timed(dsn: str, statements: list[Statement], runs: int) -> tuple[float, int]:
    """Median time of running `statements` one after another on one connection, and the
    rows the last one returned."""
    connection = await asyncpg.connect(dsn)
    try:
        timings = []
        rows: list[asyncpg.Record] = []
        for _ in range(runs):
            started = time.perf_counter()
            for sql, parameters in statements:
                rows = await connection.fetch(sql, *parameters)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), len(rows)
    finally:
        await connection.close()


async def _naive(dsn: str, runs: int) -> tuple[float, int]:
    return await _timed(dsn, [(NAIVE, (PROVINCE,))], runs)


async def _drill_path(client: httpx.AsyncClient) -> str:
    catalogue = (await client.get("/v1/indicators")).json()
    items = catalogue["items"] if isinstance(catalogue, dict) else catalogue
    smart = next(i for i in items if "cards.valid_smart" in (i.get("numerator") or ""))
    return f"/v1/regions/{PROVINCE}/indicators/{smart['code']}/children"


async def captured_sql(
    app: FastAPI,
    headers: dict[str, str],
    request: Callable[[httpx.AsyncClient], Awaitable[None]],
) -> list[Statement]:
    """The statements an app sends for `request` once warm (it runs twice, the second is
    captured), in this process; disposes of the app's database."""
    database = runtime_of(app).database
    captured: list[Statement] = []

    def capture(*args: Any) -> None:
        _connection, _cursor, sql, parameters, _context, _executemany = args
        captured.append((sql, tuple(parameters or ())))

    event.listen(database.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with api_client(app, headers) as client:
            await request(client)
            captured.clear()
            await request(client)
    finally:
        await database.dispose()
    if not captured:
        raise RuntimeError("the endpoint sent no SQL to capture")
    return captured


async def _endpoint_sql(settings: MetricsSettings, headers: dict[str, str]) -> list[Statement]:
    """The statements the drill-down endpoint sends to compute its answer once warm (its
    catalogue copy read), captured from the service's app in this process: with no answers
    kept, or the warm request would send only the version read (which runs on its own, on
    the asyncpg connection, and is not captured)."""
    app = create_app(
        settings.model_copy(update={"log_level": "WARNING", "answer_cache_bytes": 0}),
        run_consumer=False,
    )

    paths: list[str] = []

    async def drill(client: httpx.AsyncClient) -> None:
        if not paths:  # the catalogue read once, before the request captured
            paths.append(await _drill_path(client))
        (await client.get(paths[0])).raise_for_status()

    return await captured_sql(app, headers, drill)


async def _api(url: str, headers: dict[str, str], runs: int) -> tuple[float, int]:
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        path = await _drill_path(client)
        first = await client.get(path)
        first.raise_for_status()
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            (await client.get(path)).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), len(first.json()["children"])


def run(report: Report, database_url: str, workdir: Path, *, holders: int) -> None:
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
    subprocess.run(
        [sys.executable, "-m", "canlian.cli", "metrics", "divisions", "load", "--province", "62"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    started = time.perf_counter()
    asyncio.run(_fill(dsn, holders))
    fill_seconds = time.perf_counter() - started
    naive_ms, naive_rows = asyncio.run(_naive(dsn, runs=5))
    token = auth.issue_token(settings, subject="bench", roles=[auth.OFFICIAL], region=PROVINCE)
    headers = {"Authorization": f"Bearer {token}"}
    statements = asyncio.run(_endpoint_sql(settings, headers))
    sql_ms, _ = asyncio.run(_timed(dsn, statements, runs=50))
    with uvicorn_process(metrics.app_factory, env, workdir / "metrics-drill.log") as url:
        api_ms, api_rows = asyncio.run(_api(url, headers, runs=50))
    report.add(
        Figure(
            "drill-down",
            f"province → {api_rows} cities, {holders:,} holders (API p50)",
            api_ms,
            "ms",
            f"naive recursive query ({naive_rows} cities)",
            naive_ms,
            goal="≥ 100× faster",
            higher_is_better=False,
            note=f"register generated in {fill_seconds:.0f} s; "
            + ("met" if naive_ms >= 100 * api_ms else "not met"),
        )
    )
    report.add(
        Figure(
            "drill-down",
            f"same, at the SQL layer: the endpoint's rollup read ({len(statements)} "
            f"statement{'s' if len(statements) != 1 else ''} per request, p50)",
            sql_ms,
            "ms",
            f"naive recursive query ({naive_rows} cities)",
            naive_ms,
            higher_is_better=False,
            note="timed as the naive query is: one asyncpg connection, median of runs; the SQL "
            "captured from the endpoint, without its transaction's BEGIN and COMMIT",
        )
    )
