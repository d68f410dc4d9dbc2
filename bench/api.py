"""API latency and throughput at 32 concurrent clients: Canlian's main write and read
endpoints against a bare FastAPI + asyncpg endpoint doing one query, same machine, same run."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.environment import uvicorn_process
from bench.load import LoadResult, RequestFactory, run_load
from bench.report import Figure, Report
from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.workloads import citizen_id

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


def _token(env: dict[str, str], region: str) -> dict[str, str]:
    settings = PlatformSettings(canlian_data_dir=Path(env["CANLIAN_DATA_DIR"]))
    token = auth.issue_token(settings, subject="bench", roles=[auth.OFFICIAL], region=region)
    return {"Authorization": f"Bearer {token}"}


def _register_person(url: str, env: dict[str, str]) -> RequestFactory:
    headers = _token(env, "620102")
    offset = random.randrange(10**5)

    def make(number: int) -> tuple[str, str, dict[str, Any]]:
        return (
            "POST",
            "/v1/persons",
            {
                "headers": headers,
                "json": {
                    "citizen_id": citizen_id(offset + number),
                    "name": "王五",
                    "residence_division_code": "620102001001",
                },
            },
        )

    return make


def _province_indicators(url: str, env: dict[str, str]) -> RequestFactory:
    subprocess.run(
        [sys.executable, "-m", "canlian.cli", "metrics", "divisions", "load", "--province", "62"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    headers = _token(env, "62")
    return lambda _n: ("GET", "/v1/regions/620000000000/indicators", {"headers": headers})


def _drill_down(url: str, env: dict[str, str]) -> RequestFactory:
    headers = _token(env, "62")
    catalogue = httpx.get(f"{url}/v1/indicators", headers=headers, timeout=10).json()
    items = catalogue["items"] if isinstance(catalogue, dict) else catalogue
    code = items[0]["code"]
    path = f"/v1/regions/620000000000/indicators/{code}/children"
    return lambda _n: ("GET", path, {"headers": headers})


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
    ),
    Target(
        "metrics: drill-down to cities (read)",
        "read",
        "canlian.metrics.app:create_app",
        _drill_down,
        goal_p99_ms=20,
    ),
]


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
    services = {service.app_factory: service for service in installed_services()}
    settings = PlatformSettings(database_url=database_url, canlian_data_dir=workdir / "data")
    for target in TARGETS:
        asyncio.run(upgrade(services[target.factory], settings))
        service_env = {
            **env,
            "CANLIAN_DATA_DIR": str(workdir / "data"),
            "CANLIAN_ENVIRONMENT": "development",
        }
        with uvicorn_process(target.factory, service_env, workdir / f"{target.name}.log") as url:
            make_request = target.prepare(url, service_env)
            result = asyncio.run(run_load(url, make_request, clients=CLIENTS, total=total))
        _figures(report, target.name, result, ceilings[target.kind], target.goal_p99_ms)
