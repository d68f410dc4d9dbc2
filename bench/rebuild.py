"""Rebuilding every rollup from the event log (`canlian metrics rebuild`), against a raw
aiokafka consume of the same log in the same run. The rebuild runs in its own process, as the
command does, so that its peak memory is its own."""

from __future__ import annotations

import asyncio
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
from canlian.common.settings import load_settings
from canlian.metrics.cli.rebuild import rebuild
from canlian.metrics.settings import MetricsSettings
settings = load_settings(MetricsSettings)
started = time.perf_counter()
replayed = asyncio.run(rebuild(settings))
print(json.dumps({"replayed": replayed, "seconds": time.perf_counter() - started}))
"""


def run(report: Report, database_url: str, bootstrap: str, workdir: Path, *, count: int) -> None:
    envelopes = list(workload.envelopes(count, seed=2016))
    topics = {domain: f"canlian.{domain}" for domain in ("cards", "volunteers")}
    asyncio.run(prefill(bootstrap, topics, envelopes))
    del envelopes
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
    report.add(
        Figure(
            "rebuild",
            "peak memory of the rebuild process",
            usage.ru_maxrss / 1024,
            "MiB",
            higher_is_better=False,
            note=f"the fold holds every entity's state in memory: {replayed:,} events",
        )
    )
