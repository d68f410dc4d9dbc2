"""Figures for Gansu (prints, never passes or fails on time):
`uv run python -m tests.metrics.measure_gansu` starts a throwaway PostgreSQL, loads Gansu's
19,224 divisions, rolls up one association per village and a change for a third of them, and
times the queries an official opens first, a report and a reconcile."""

import asyncio
import random
import time
from collections.abc import Sequence
from datetime import date

from canlian.common.auth import Principal
from canlian.common.db.database import Database
from canlian.common.events.base import CloudEvent
from canlian.metrics.app import service_descriptor
from canlian.metrics.cli import divisions as cli_divisions
from canlian.metrics.cli import seed_plans
from canlian.metrics.divisions import dataset as divisions_dataset
from canlian.metrics.reconciliation import service as reconciliation_service
from canlian.metrics.regions import drill_down as regions_drill_down
from canlian.metrics.regions import evaluation
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.reports import formats
from canlian.metrics.reports import service as reports_service
from canlian.metrics.rollups import consumer
from canlian.metrics.settings import MetricsSettings
from canlian.testing.postgres import PostgresServer
from canlian.testing.services import rebuild_schema
from tests.metrics.conftest import organisation

COVERAGE = "grassroots-organisation-coverage"
FINAL = regions_schemas.Milestone.FINAL


def since(started: float) -> float:
    return time.perf_counter() - started


async def roll_up(database: Database, events: Sequence[CloudEvent], label: str) -> None:
    started = time.perf_counter()
    for first in range(0, len(events), 2000):
        async with database.session() as session:
            await consumer.rollup_events(session, events[first : first + 2000])
    elapsed = since(started)
    print(f"rollup, {label}: {len(events)} events, {elapsed:.2f} s, {len(events) / elapsed:.0f}/s")


async def main(url: str) -> None:
    settings = MetricsSettings(database_url=url, canlian_data_dir="/tmp/canlian-measure-gansu")
    await rebuild_schema(service_descriptor, settings)
    dataset = divisions_dataset.default_dataset()
    assert dataset is not None, "the org-registry dataset is not installed"
    rows = list(divisions_dataset.read_dataset(dataset, "62"))
    started = time.perf_counter()
    loaded = await cli_divisions.load_divisions(settings, iter(rows))
    print(f"divisions load: {loaded} rows, {since(started):.2f} s")
    started = time.perf_counter()
    await cli_divisions.load_divisions(settings, iter(rows))
    print(f"divisions load again (changes nothing): {since(started):.2f} s")
    await seed_plans.define_seed_plans(settings)
    villages = [row.code for row in rows if row.level == 5]
    rng = random.Random(1)
    database = Database(settings, "metrics")
    established = [
        CloudEvent.wrap(
            organisation(f"a{index}", division=village, has_office=rng.random() < 0.9),
            source="/measure",
        )
        for index, village in enumerate(villages)
    ]
    await roll_up(database, established, "one association per village, batches of 2000")
    changed = [
        CloudEvent.wrap(
            organisation(f"a{index}", version=2, division=villages[index]), source="/measure"
        )
        for index in range(0, len(villages), 3)
    ]
    await roll_up(database, changed, "a change for every third")
    started = time.perf_counter()
    async with database.session() as session:
        single = organisation("single", division=villages[5])
        await consumer.rollup_events(session, [CloudEvent.wrap(single, source="/measure")])
    print(f"a batch of one event, committed: {since(started) * 1000:.1f} ms")
    official = Principal(subject="measure", roles=frozenset({"admin"}), region="000000000000")
    async with database.read_session() as session:
        for code in ("620000000000", "620100000000", "620102000000"):
            started = time.perf_counter()
            await evaluation.region_indicators(
                session, official, code, plan_code="gs-12th", as_of=None, milestone=FINAL
            )
            live = since(started)
            started = time.perf_counter()
            await evaluation.region_indicators(
                session, official, code, plan_code="gs-12th", as_of=date.today(), milestone=FINAL
            )
            as_of = since(started)
            started = time.perf_counter()
            drill = await regions_drill_down.drill_down(
                session,
                official,
                code,
                COVERAGE,
                plan_code="gs-12th",
                as_of=None,
                milestone=FINAL,
                offset=0,
                limit=200,
            )
            print(
                f"{code}: all indicators {live * 1000:.0f} ms, as-of {as_of * 1000:.0f} ms, "
                f"drill-down of {len(drill.children)} children {since(started) * 1000:.0f} ms"
            )
        started = time.perf_counter()
        report = await reports_service.build_report(
            session,
            official,
            "620000000000",
            plan_code="gs-12th",
            as_of=None,
            milestone=FINAL,
            depth=2,
            indicator_codes=[],
        )
        workbook = formats.report_workbook(report)
        print(
            f"Excel report, Gansu to county level: {since(started) * 1000:.0f} ms, "
            f"{len(workbook)} bytes"
        )
        started = time.perf_counter()
        reconciled = await reconciliation_service.reconcile_contributions(session)
        print(
            f"reconcile: {reconciled.entities} entities, {reconciled.counters} counters, "
            f"{len(reconciled.differences)} differences, {since(started):.2f} s"
        )
    await database.dispose()


if __name__ == "__main__":
    server = PostgresServer().start()
    try:
        asyncio.run(main(server.url))
    finally:
        server.stop()
