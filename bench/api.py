"""API latency and throughput at 32 concurrent clients: Canlian's main write and read
endpoints against a bare FastAPI + asyncpg endpoint doing one query, same machine, same run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.environment import uvicorn_process
from bench.load import LoadResult, RequestFactory, run_load
from bench.report import Figure, Report

CLIENTS = 32


@dataclass(frozen=True)
class Target:
    """One Canlian endpoint under load. `prepare` runs once against the started service and
    returns the request factory (it may create what the requests need)."""

    name: str
    kind: str  # "write" or "read"
    factory: str  # uvicorn app factory of the service
    prepare: Callable[[str, dict[str, str]], RequestFactory]
    goal_p99_ms: float


TARGETS: list[Target] = []


def _figures(
    report: Report, name: str, result: LoadResult, ceiling: LoadResult, goal: float
) -> None:
    report.add(
        Figure(
            "api", f"{name} p50", result.p50, "ms", "bare p50", ceiling.p50, higher_is_better=False
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
            goal=f"p99 ≤ {goal:.0f} ms",
            higher_is_better=False,
            note="met" if result.p99 <= goal else "not met",
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
            note=f"{result.errors} error responses" if result.errors else "",
        )
    )


def run(report: Report, database_url: str, workdir: Path, *, total: int) -> None:
    env = {"DATABASE_URL": database_url}
    with uvicorn_process("bench.bare_app:create_app", env, workdir / "bare.log") as bare:
        ceilings = {
            "write": asyncio.run(
                run_load(
                    bare,
                    lambda i: ("POST", f"/write/62{i % 100:04d}", {}),
                    clients=CLIENTS,
                    total=total,
                )
            ),
            "read": asyncio.run(
                run_load(
                    bare,
                    lambda i: ("GET", f"/read/62{i % 100:04d}", {}),
                    clients=CLIENTS,
                    total=total,
                )
            ),
        }
    for kind, result in ceilings.items():
        report.add(
            Figure(
                "api",
                f"bare {kind} (ceiling)",
                result.throughput,
                "req/s",
                note=f"p50 {result.p50:.1f} ms, p99 {result.p99:.1f} ms",
            )
        )
    for target in TARGETS:
        service_env: dict[str, Any] = {**env, "CANLIAN_DATA_DIR": str(workdir / "data")}
        with uvicorn_process(target.factory, service_env, workdir / f"{target.name}.log") as url:
            make_request = target.prepare(url, service_env)
            result = asyncio.run(run_load(url, make_request, clients=CLIENTS, total=total))
        _figures(report, target.name, result, ceilings[target.kind], target.goal_p99_ms)
