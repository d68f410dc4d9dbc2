"""API latency and throughput at 32 concurrent connections: Canlian's main write and read
endpoints against a bare FastAPI + asyncpg endpoint doing one query, same machine, same run.

Load comes from wrk (bench/load.py, bench/wrk.lua): C and LuaJIT, so that the figures say how
fast the servers answer, not how fast a Python client can ask (the httpx generator this
replaced topped out near 350 req/s and added hundreds of milliseconds to the tail). Every
request carries the bearer token; every write registers a new person with a distinct valid
citizen ID. Any response outside 200-299, and any request left unanswered, is reported on the
figures as "not valid": a run where requests fail measures the failures, not the endpoint.

Client: `wrk --threads 2 --connections 32`. 32 connections is the concurrency the goals are
stated at; two threads (16 connections each) because the machine has two cores, and wrk's
threads are event loops that use CPU only when responses arrive: about 10% of one core at the
bare app's ~3,000 req/s and 2% at Canlian's rates, shown on each throughput figure, so the
client is not what limits. Each endpoint gets a discarded warm-up (pools, caches, first
requests; up to 5 s), then a measured run of fixed length.

Servers: one uvicorn process for the bare app and for each Canlian service alike, which is how
deploy/k8s runs a replica (one process a pod, scaled by adding pods): the goals are per
replica. The same rows are measured again with two uvicorn workers per server (`--workers 2`,
the bare app too, so that each figure has its ceiling at the same process count); on two cores
that PostgreSQL and wrk share with the servers, those rows say how far a second process helps
on this machine, not what a second pod would add. Services run as deployed: cards with its
outbox relay in process, metrics as the read-only `metrics-api` replica
(CANLIAN_RUN_WORKERS=false), on the same PostgreSQL as the bare app; the event bus is the
embedded log (no request waits for it).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.environment import uvicorn_process
from bench.load import LoadResult, Requests, run_load
from bench.report import Figure, Report
from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings

CONNECTIONS = 32
THREADS = 2
PROCESSES = (1, 2)  # uvicorn processes per server, each a set of rows; see the docstring


@dataclass(frozen=True)
class Target:
    """One Canlian endpoint under load. `prepare` runs once against the started service and
    returns what wrk sends (it may create what the requests need)."""

    name: str
    kind: str  # "write" or "read"
    factory: str  # uvicorn app factory of the service
    prepare: Callable[[str, dict[str, str]], Requests]
    goal_p99_ms: float | None  # None: a row that shows a cost, no goal of its own
    env: dict[str, str] = field(default_factory=dict)  # the service's deployment settings


def _token(env: dict[str, str], region: str) -> str:
    settings = PlatformSettings(canlian_data_dir=Path(env["CANLIAN_DATA_DIR"]))
    return auth.issue_token(settings, subject="bench", roles=[auth.OFFICIAL], region=region)


# Each run of the write its own million citizen-ID numbers (bench/wrk.lua numbers them from
# an offset, in a county the legacy import leaves alone): the runs at one and at two
# processes write into the same database, and a person registered twice is a 409.
_PERSONS_PER_RUN = 10**6
_person_runs = itertools.count(random.randrange(10))


def _register_person(url: str, env: dict[str, str]) -> Requests:
    offset = next(_person_runs) * _PERSONS_PER_RUN
    return Requests("person", "POST", "/v1/persons", _token(env, "620103"), offset=offset)


def _province_indicators(url: str, env: dict[str, str]) -> Requests:
    subprocess.run(
        [sys.executable, "-m", "canlian.cli", "metrics", "divisions", "load", "--province", "62"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return Requests("static", "GET", "/v1/regions/620000000000/indicators", _token(env, "62"))


def _drill_down(url: str, env: dict[str, str]) -> Requests:
    token = _token(env, "62")
    catalogue = httpx.get(
        f"{url}/v1/indicators", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).json()
    items = catalogue["items"] if isinstance(catalogue, dict) else catalogue
    code = items[0]["code"]
    return Requests("static", "GET", f"/v1/regions/620000000000/indicators/{code}/children", token)


TARGETS: list[Target] = [
    Target(
        "cards: register a person (write)",
        "write",
        "canlian.cards.app:create_app",
        _register_person,
        goal_p99_ms=50,
    ),
    Target(
        "metrics: a province's indicators (read)",
        "read",
        "canlian.metrics.app:create_app",
        _province_indicators,
        goal_p99_ms=20,
        env={"CANLIAN_RUN_WORKERS": "false"},
    ),
    Target(
        # Every read a miss: what a read costs right after the data changed.
        "metrics: a province's indicators, none kept (read)",
        "read",
        "canlian.metrics.app:create_app",
        _province_indicators,
        goal_p99_ms=None,
        env={"CANLIAN_RUN_WORKERS": "false", "ANSWER_CACHE_BYTES": "0"},
    ),
    Target(
        "metrics: drill-down to cities (read)",
        "read",
        "canlian.metrics.app:create_app",
        _drill_down,
        goal_p99_ms=20,
        env={"CANLIAN_RUN_WORKERS": "false"},
    ),
]


def _figures(
    report: Report, name: str, result: LoadResult, ceiling: LoadResult, goal: float | None
) -> None:
    valid = not result.failures
    report.add(
        Figure(
            "api",
            f"{name} p50",
            result.p50,
            "ms",
            "bare p50",
            ceiling.p50,
            higher_is_better=False,
            note="" if valid else "not valid (failed requests)",
        )
    )
    report.add(
        Figure(
            "api",
            f"{name} p99",
            result.p99,
            "ms",
            "bare p99",
            ceiling.p99,
            goal=f"p99 ≤ {goal:.0f} ms" if goal is not None else "",
            higher_is_better=False,
            note=("" if goal is None else "met" if result.p99 <= goal else "not met")
            if valid
            else "not valid (failed requests)",
        )
    )
    report.add(
        Figure(
            "api",
            f"{name} throughput",
            result.throughput,
            "req/s",
            "bare",
            ceiling.throughput,
            note=_client_note(result),
        )
    )


def _rows(name: str, processes: int) -> str:
    """A figure's name at a process count: one process is the replica the goals speak of."""
    return name if processes == 1 else f"{name}, {processes} processes"


def _client_note(result: LoadResult) -> str:
    return f"{result.describe_failures()}; wrk used {result.client_cpu:.0%} of a core"


def _load(url: str, requests: Requests, log: Path, seconds: int) -> LoadResult:
    result = run_load(
        url,
        requests,
        connections=CONNECTIONS,
        threads=THREADS,
        seconds=seconds,
        warmup_seconds=min(5, max(1, seconds // 2)),
        log_path=log,
    )
    if result.failures:
        print(f"  {result.describe_failures()}; first: {result.sample}", flush=True)
    return result


def run(
    report: Report,
    database_url: str,
    workdir: Path,
    *,
    seconds: int,
    processes: tuple[int, ...] = PROCESSES,
) -> None:
    services = {service.app_factory: service for service in installed_services()}
    settings = PlatformSettings(database_url=database_url, canlian_data_dir=workdir / "data")
    for target in TARGETS:
        asyncio.run(upgrade(services[target.factory], settings))
    for count in processes:
        _run_at(report, database_url, workdir, seconds=seconds, processes=count)


def _run_at(
    report: Report, database_url: str, workdir: Path, *, seconds: int, processes: int
) -> None:
    env = {"DATABASE_URL": database_url}
    log = workdir / "wrk.log"
    with uvicorn_process(
        "bench.bare_app:create_app", env, workdir / "bare.log", workers=processes
    ) as bare:
        ceilings = {
            "write": _load(bare, Requests("regions", "POST", "/write/62"), log, seconds),
            "read": _load(bare, Requests("regions", "GET", "/read/62"), log, seconds),
        }
    plural = "process" if processes == 1 else "processes"
    for kind, result in ceilings.items():
        report.add(
            Figure(
                "api",
                _rows(f"bare {kind} (ceiling)", processes),
                result.throughput,
                "req/s",
                note=f"p50 {result.p50:.1f} ms, p99 {result.p99:.1f} ms; {_client_note(result)}"
                f" (wrk -t{THREADS} -c{CONNECTIONS}, {seconds} s; {processes} uvicorn {plural})",
            )
        )
    for target in TARGETS:
        service_env = {
            **env,
            "CANLIAN_DATA_DIR": str(workdir / "data"),
            "CANLIAN_ENVIRONMENT": "development",
            **target.env,
        }
        with uvicorn_process(
            target.factory,
            service_env,
            workdir / f"{target.name} {processes}.log",
            workers=processes,
        ) as url:
            result = _load(url, target.prepare(url, service_env), log, seconds)
        _figures(
            report,
            _rows(target.name, processes),
            result,
            ceilings[target.kind],
            target.goal_p99_ms,
        )
