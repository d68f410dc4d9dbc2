"""Figures for the roster import and the officials' reports on a real PostgreSQL.

    uv run python -m tests.members.bench_roster_import [rows]

Prints timings; asserts nothing about time. BENCH_ANALYZE=1 runs ANALYZE before the reports
(as autovacuum would after a large import). Uses DATABASE_URL when set, otherwise a throwaway
server started by the test harness. The schema `members` is rebuilt: never point it at data
you want to keep.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from canlian.common import auth
from canlian.common.events.org_registry import OrganisationKind
from canlian.common.settings import PlatformSettings
from canlian.members.app import apply_organisation_events, create_app, service_descriptor
from canlian.testing.services import api_client, bearer, rebuild_schema, runtime_of
from tests.members.conftest import make_citizen_id, organisation_event

COUNTY = "620102"
HEADER = [
    "姓名",
    "公民身份号码",
    "残疾人或亲属",
    "残疾类别",
    "组织编号",
    "选聘方式",
    "合同开始日期",
    "合同结束日期",
    "公益性岗位",
    "月补贴(元)",
]


def _places(rows: int) -> list[tuple[str, str, int]]:
    """(organisation id, division, level): townships of 19 villages, like a real county."""
    places: list[tuple[str, str, int]] = []
    township = 0
    while len(places) < rows:
        township += 1
        code = f"{COUNTY}{township:03d}"
        places.append((f"fed-{code}", f"{code}000", 4))
        for village in range(1, 20):
            places.append((f"assoc-{code}{village:03d}", f"{code}{village:03d}", 5))
    return places[:rows]


def _roster(places: list[tuple[str, str, int]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for sequence, (organisation_id, _, level) in enumerate(places):
        born = f"19{60 + sequence // 1000 % 40:02d}0101"
        writer.writerow(
            [
                f"委员{sequence}",
                make_citizen_id(sequence, born=born),
                "残疾人",
                "肢体",
                organisation_id,
                "公开考试",
                "2024-01-01",
                "2026-12-31",
                "是" if level == 4 else "否",
                "60" if sequence % 7 == 0 else "100",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


async def _timed(label: str, call: object) -> httpx.Response:
    started = time.perf_counter()
    response: httpx.Response = await call  # type: ignore[misc]
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {elapsed * 1000:9.1f} ms  (HTTP {response.status_code})")
    return response


async def main(rows: int, url: str) -> None:
    settings = PlatformSettings(
        database_url=url, canlian_data_dir=Path(tempfile.mkdtemp(prefix="canlian-bench-"))
    )
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings)
    runtime = runtime_of(app)
    places = _places(rows)
    started = time.perf_counter()
    async with runtime.database.session() as session:
        await apply_organisation_events(
            session,
            [
                organisation_event(
                    org,
                    division_code=code,
                    level=level,
                    kind=OrganisationKind.FEDERATION
                    if level == 4
                    else OrganisationKind.ASSOCIATION,
                )
                for org, code, level in places
            ],
        )
    elapsed = time.perf_counter() - started
    print(
        f"{'registry replay: ' + str(len(places)) + ' organisation events':<44} "
        f"{elapsed * 1000:9.1f} ms  (one consumer batch)"
    )
    content = _roster(places)
    headers = bearer(settings, roles=[auth.OFFICIAL], region=COUNTY)
    files = {"file": ("roster.csv", content)}
    print(f"roster: {rows} rows, {len(content) / 1024:.0f} KiB CSV; PostgreSQL")
    async with api_client(app) as client:
        dry = await _timed(
            "dry run (validate every row)",
            client.post(
                "/v1/imports/roster", files=files, params={"dry_run": "true"}, headers=headers
            ),
        )
        assert dry.json()["valid_rows"] == rows, dry.text
        done = await _timed(
            "import (all-or-nothing, one transaction)",
            client.post("/v1/imports/roster", files=files, headers=headers),
        )
        assert done.json()["imported_rows"] == rows, done.text
        if os.environ.get("BENCH_ANALYZE"):
            # Fresh tables have no planner statistics until autovacuum's ANALYZE runs.
            async with runtime.database.engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
            print("ANALYZE run before the reports")
        await client.put(
            f"/v1/allowance-minimums/{COUNTY}/village",
            json={"monthly_minimum_yuan": "100"},
            headers=headers,
        )
        await _timed(
            "GET /v1/reports/by-township", client.get("/v1/reports/by-township", headers=headers)
        )
        await _timed(
            "GET /v1/reports/vacancies (first page)",
            client.get("/v1/reports/vacancies", headers=headers),
        )
        await _timed(
            "GET /v1/reports/allowance-non-compliance",
            client.get("/v1/reports/allowance-non-compliance", headers=headers),
        )
        await _timed(
            "GET /v1/reports/untrained (first page)",
            client.get("/v1/reports/untrained", headers=headers),
        )
    async with runtime.database.read_session() as session:
        from sqlalchemy import func, select

        outbox = await session.scalar(select(func.count()).select_from(runtime.tables.outbox))
    print(f"outbox events written: {outbox}")
    await runtime.database.dispose()


def run() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    url = os.environ.get("DATABASE_URL", "")
    if url:
        asyncio.run(main(rows, url))
        return
    from canlian.testing.postgres import PostgresServer

    server = PostgresServer().start()
    try:
        asyncio.run(main(rows, server.url))
    finally:
        server.stop()


if __name__ == "__main__":
    run()
