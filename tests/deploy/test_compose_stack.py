"""The production-style stack, run: the images built by scripts/build-images.sh, started with
`docker-compose up` from the repository's compose file and an env file of fresh keys, and
driven from outside through the published loopback ports, as the e2e test drives the
platform it starts itself.

Runs from scripts/compose-test.sh (CI: .ci/run), which starts a Docker engine when none runs,
builds the images, sets CANLIAN_COMPOSE_TEST=1 and stops the engine it started at the end.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import httpx
import pytest

from canlian.common import auth
from canlian.common.descriptor import installed_services
from canlian.common.settings import KNOWN_DEMO_KEYS, PlatformSettings
from canlian.org_registry.divisions.dataset import read_divisions
from canlian.testing.ports import free_port
from canlian.testing.postgres import PostgresServer
from canlian.testing.processes import ServiceProcess
from canlian.testing.workloads import CardFlows

from ..e2e.test_platform_flow import load_gansu_divisions, write_in_every_domain
from ..faults.rig import FaultRig

pytestmark = pytest.mark.skipif(
    os.environ.get("CANLIAN_COMPOSE_TEST") != "1",
    reason="the compose stack runs from scripts/compose-test.sh (needs a Docker engine)",
)

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "canlian-ci"
HEALTHY_WITHIN_SECONDS = 300


@dataclass
class Published:
    """A compose service as the e2e rig sees a service process: its URL and its log."""

    stack: ComposeStack
    name: str
    url: str

    def log(self) -> str:
        return self.stack.compose("logs", "--no-color", "--tail", "200", self.name).stdout


@dataclass
class PublishedDatabase:
    dsn: str


class ComposeStack(FaultRig):
    """FaultRig's checks (caught up, reconcile, tokens) against the compose stack: its
    PostgreSQL and services are the ones compose publishes on loopback."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, services=tuple(d.name for d in installed_services()))
        self.env_file = workdir / ".env"
        subprocess.run(["bash", "scripts/compose-env.sh", str(workdir)], cwd=ROOT, check=True)
        values = dict(
            line.split("=", 1) for line in self.env_file.read_text().splitlines() if "=" in line
        )
        self.ports = {d.name: free_port() for d in installed_services()}
        self.postgres_port = free_port()
        self.compose_env = {
            **os.environ,
            "CANLIAN_POSTGRES_PORT": str(self.postgres_port),
            **{
                f"CANLIAN_{n.upper().replace('-', '_')}_PORT": str(p) for n, p in self.ports.items()
            },
        }
        url = f"canlian:{values['POSTGRES_PASSWORD']}@127.0.0.1:{self.postgres_port}/canlian"
        # FaultRig reads only the database's dsn and each service's url and log.
        self.postgres = cast(PostgresServer, PublishedDatabase(f"postgresql://{url}"))
        # Tokens signed with the key the services verify with (CANLIAN_KEYS_DIR's parent).
        self.settings = PlatformSettings(
            database_url=f"postgresql+asyncpg://{url}",
            canlian_data_dir=workdir,
            canlian_environment="development",
        )
        self.env = {
            **os.environ,
            "DATABASE_URL": self.settings.database_url or "",
            "CANLIAN_DATA_DIR": str(workdir),
            "CANLIAN_ENVIRONMENT": "development",
        }

    def compose(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        argv = ["docker-compose", "-p", PROJECT, "--env-file", str(self.env_file), *args]
        return subprocess.run(
            argv, cwd=ROOT, env=self.compose_env, capture_output=True, text=True, check=check
        )

    def start(self) -> None:
        self.compose("down", "-v", "--remove-orphans")  # what an aborted run left
        up = self.compose("up", "-d", "--no-build")
        assert up.returncode == 0, up.stderr[-3000:] + self.logs()
        self.wait_healthy()
        self.services = {
            name: cast(ServiceProcess, Published(self, name, f"http://127.0.0.1:{port}"))
            for name, port in self.ports.items()
        }

    def wait_healthy(self, *names: str) -> None:
        deadline = time.monotonic() + HEALTHY_WITHIN_SECONDS
        while True:
            states = self.states()
            waiting = {
                name: state
                for name, state in states.items()
                if (not names or name in names) and state not in ("healthy", "exited 0")
            }
            if not waiting:
                return
            failed = [n for n, s in waiting.items() if s.startswith("exited") or s == "unhealthy"]
            if failed or time.monotonic() > deadline:
                raise AssertionError(f"not healthy: {waiting}\n{self.logs()}")
            time.sleep(1)

    def states(self) -> dict[str, str]:
        ids = self.compose("ps", "-q", check=True).stdout.split()
        inspected = json.loads(
            subprocess.run(
                ["docker", "inspect", *ids], capture_output=True, text=True, check=True
            ).stdout
        )
        states = {}
        for container in inspected:
            name = container["Config"]["Labels"]["com.docker.compose.service"]
            state = container["State"]
            if state["Status"] == "exited":
                states[name] = f"exited {state['ExitCode']}"
            else:
                states[name] = state.get("Health", {}).get("Status", state["Status"])
        return states

    def logs(self) -> str:
        return (
            "\n--- compose logs ---\n" + self.compose("logs", "--no-color", "--tail", "40").stdout
        )

    def stop(self) -> None:
        down = self.compose("down", "-v", "--remove-orphans")
        assert down.returncode == 0, down.stderr


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComposeStack]:
    started = time.monotonic()
    rig = ComposeStack(tmp_path_factory.mktemp("compose"))
    try:
        rig.start()
        print(f"\ncompose stack healthy in {time.monotonic() - started:.0f} s")
        load_gansu_divisions(rig)
        yield rig
    finally:
        rig.stop()
        left = subprocess.run(
            ["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        volumes = subprocess.run(
            ["docker", "volume", "ls", "-q",
             "--filter", f"label=com.docker.compose.project={PROJECT}"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        assert left == []
        assert volumes == []
        print(f"compose stack: {time.monotonic() - started:.0f} s from up to down -v")


def test_every_service_is_healthy_and_migrated(stack: ComposeStack) -> None:
    states = stack.states()
    for descriptor in installed_services():
        assert states[descriptor.name] == "healthy"
        assert states[f"{descriptor.name}-migrate"] == "exited 0"
    assert states["postgres"] == states["kafka"] == "healthy"


def test_postgres_runs_with_a_utf8_locale_as_in_production(stack: ComposeStack) -> None:
    collation = stack.compose(
        "exec", "-T", "postgres", "psql", "-U", "canlian", "-d", "canlian", "-Atc",
        "SELECT datcollate FROM pg_database WHERE datname = 'canlian'",
    )  # fmt: skip
    assert collation.stdout.strip() == "en_US.UTF-8", collation.stderr


async def test_writes_in_every_domain_reach_the_province_within_a_second(
    stack: ComposeStack,
) -> None:
    seen = await write_in_every_domain(stack)
    print("write -> province counters:", {k: f"{v * 1000:.0f} ms" for k, v in seen.items()})
    assert set(seen) == {"org-registry", "members", "cards", "volunteers"}
    assert all(seconds < 1.0 for seconds in seen.values()), seen
    await stack.wait_caught_up()
    outcome = await stack.reconcile()
    assert outcome.rollups.differences == []
    assert outcome.source == [], outcome.source[:10]


async def test_metrics_killed_mid_workload_comes_back_with_nothing_lost(
    stack: ComposeStack,
) -> None:
    # Another county than the e2e flow's: its own assessment institution.
    county = "620103000000"
    village = next(r.code for r in read_divisions("62") if r.level == 5 and r.code[:6] == "620103")
    token = auth.issue_token(stack.settings, subject="clerk", roles=[auth.OFFICIAL], region=county)
    async with httpx.AsyncClient(
        base_url=stack.services["cards"].url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ) as client:
        flows = CardFlows(client, county=county, village=village, seed=23)
        await asyncio.gather(*(flows.issue(5000 + n) for n in range(10)))
        # The rest is in flight when metrics dies, and goes on while it is down.
        workload = asyncio.gather(*(flows.issue(5000 + n) for n in range(10, 40)))
        killed = await asyncio.to_thread(stack.compose, "kill", "metrics")
        assert killed.returncode == 0, killed.stderr
        assert stack.states()["metrics"] == "exited 137"
        await workload
        started = stack.compose("start", "metrics")
        assert started.returncode == 0, started.stderr
        await asyncio.to_thread(stack.wait_healthy, "metrics")
    assert len(flows.issued) == 40
    await stack.wait_caught_up()
    outcome = await stack.reconcile()
    assert outcome.rollups.differences == []
    assert outcome.source == [], outcome.source[:10]


def test_a_service_refuses_a_published_demo_key(stack: ComposeStack) -> None:
    """The image itself (production by default) stops at start, naming the setting."""
    demo = sorted(KNOWN_DEMO_KEYS)[0]
    other = base64.b64encode(os.urandom(32)).decode()
    run = subprocess.run(
        ["docker", "run", "--rm", "--network", "none",
         "-e", f"CANLIAN_PII_KEY={demo}", "-e", f"CANLIAN_PII_INDEX_KEY={other}",
         "canlian/cards"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode != 0
    assert "canlian: invalid setting CANLIAN_PII_KEY: " in run.stderr, run.stderr[-2000:]
