"""Rebuilding every rollup from the event log (`canlian metrics rebuild`), against a raw
aiokafka consume of the same log in the same run. The rebuild runs in its own process, as the
command does, so that its peak memory is its own; a log of more entities than a pass holds
(settings.rebuild_pass_size) is folded in several passes, which is what bounds that peak."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

from bench import workload
from bench.events import prefill, raw_consume
from bench.report import Figure, Report
from canlian.common.runtime import DOMAIN_TOPICS

# Times the rebuild inside the child, so interpreter start-up is not counted as replay time.
_CHILD = """
import asyncio, json, time
from sqlalchemy import func, select
from canlian.common.db.database import Database
from canlian.common.settings import load_settings
from canlian.metrics.cli.rebuild import rebuild
from canlian.metrics.rollups.models import EntityState
from canlian.metrics.settings import MetricsSettings
settings = load_settings(MetricsSettings)
started = time.perf_counter()
replayed = asyncio.run(rebuild(settings))
seconds = time.perf_counter() - started

async def entities():
    database = Database(settings, "metrics")
    try:
        async with database.read_session() as session:
            return await session.scalar(select(func.count()).select_from(EntityState))
    finally:
        await database.dispose()

print(json.dumps({"replayed": replayed, "seconds": seconds, "entities": asyncio.run(entities()),
                  "pass_size": settings.rebuild_pass_size}))
"""

# Envelopes generated and published this many at a time: the bench holds no whole log.
_CHUNK = 100_000


def run(report: Report, database_url: str, bootstrap: str, workdir: Path, *, count: int) -> None:
    topics = {domain: f"canlian.{domain}" for domain in ("cards", "volunteers")}
    generated = workload.envelopes(count, seed=2016)
    while chunk := list(itertools.islice(generated, _CHUNK)):
        asyncio.run(prefill(bootstrap, topics, chunk))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "CANLIAN_DATA_DIR": str(workdir / "data"),
        "CANLIAN_ENVIRONMENT": "development",
    }
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"rebuild failed with exit code {child.returncode}")
    measured = json.loads(output.strip().splitlines()[-1])
    replayed, seconds = int(measured["replayed"]), float(measured["seconds"])
    entities, pass_size = int(measured["entities"]), int(measured["pass_size"])
    folds = -(-entities // pass_size)
    # The log may already hold other runs' events: measured on everything that is there.
    consume = asyncio.run(raw_consume(bootstrap, list(DOMAIN_TOPICS), replayed))
    rate = replayed / seconds
    report.add(
        Figure(
            "rebuild",
            f"replay {replayed:,} events into empty rollups",
            rate,
            "events/s",
            "raw aiokafka consume of the log",
            consume,
            goal="≥ 20,000 events/s",
            note="met" if rate >= 20_000 else "not met",
        )
    )
    peak = usage.ru_maxrss / 1024
    report.add(
        Figure(
            "rebuild",
            f"peak memory at {entities:,} entities",
            peak,
            "MiB",
            higher_is_better=False,
            goal="≤ 1,024 MiB at 5,000,000 entities, ≥ 20,000 events/s",
            note=(
                f"{rate:,.0f} events/s; about {folds} pass(es) of ≤ {pass_size:,} entities"
                f" (rebuild_pass_size); {replayed:,} events; {_judged(entities, peak, rate)}"
            ),
        )
    )


def _judged(entities: int, peak: float, rate: float) -> str:
    if entities < 5_000_000:
        return "fewer entities than the goal's: not judged"
    return "met" if peak <= 1024 and rate >= 20_000 else "not met"
