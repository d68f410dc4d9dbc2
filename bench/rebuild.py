"""Rebuilding every rollup from the event log (`canlian metrics rebuild`), against a raw
aiokafka consume of the same log in the same run."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench import workload
from bench.events import prefill, raw_consume
from bench.report import Figure, Report
from canlian.common.runtime import DOMAIN_TOPICS
from canlian.metrics.cli import rebuild
from canlian.metrics.settings import MetricsSettings


def run(report: Report, database_url: str, bootstrap: str, workdir: Path, *, count: int) -> None:
    envelopes = list(workload.envelopes(count, seed=2016))
    topics = {domain: f"canlian.{domain}" for domain in ("cards", "volunteers")}
    asyncio.run(prefill(bootstrap, topics, envelopes))
    # The log may already hold other runs' events: measure on everything that is there.
    settings = MetricsSettings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        canlian_data_dir=workdir / "data",
        canlian_environment="development",
    )
    started = time.perf_counter()
    replayed = asyncio.run(rebuild(settings))
    seconds = time.perf_counter() - started
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
