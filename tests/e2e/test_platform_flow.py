"""The whole platform as it runs in production, on real PostgreSQL and Kafka: a write in each
of the four domain services reaches Gansu's indicators in the metrics service, the members
service learns of a new federation from the registry's events, and reconciliation against
every source finds nothing to correct."""

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from canlian.org_registry.divisions.dataset import read_divisions
from canlian.testing.workloads import CardFlows, citizen_id

from ..faults.rig import FaultRig

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

PROVINCE = "620000000000"
COUNTY = "620102000000"


def load_gansu_divisions(rig: FaultRig) -> None:
    """Gansu's divisions into the registry and the metrics service, with the CLI."""
    for command in (["divisions", "load"], ["metrics", "divisions", "load"]):
        subprocess.run(
            [sys.executable, "-m", "canlian.cli", *command, "--province", "62"],
            env=rig.env,
            check=True,
            capture_output=True,
        )


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[FaultRig]:
    rig = FaultRig(tmp_path, services=("org-registry", "members", "cards", "volunteers", "metrics"))
    try:
        rig.start()
        load_gansu_divisions(rig)
        yield rig
    finally:
        rig.stop()


async def test_writes_in_every_domain_reach_the_provinces_indicators(platform: FaultRig) -> None:
    seen = await write_in_every_domain(platform)
    print("write -> province counters:", {k: f"{v * 1000:.0f} ms" for k, v in seen.items()})
    await platform.wait_caught_up()
    outcome = await platform.reconcile()
    assert outcome.rollups.differences == []
    assert outcome.source == [], outcome.source[:10]


async def write_in_every_domain(platform: FaultRig) -> dict[str, float]:
    """A write in each domain service through its API; returns, per service, the seconds from
    its write to a counter of its domain moving at the province (also used against the
    compose stack, tests/deploy/test_compose_stack.py)."""
    township = next(
        r.code for r in read_divisions("62") if r.level == 4 and r.code.startswith("620102")
    )
    headers = platform.official()
    urls = {name: service.url for name, service in platform.services.items()}
    metrics = httpx.AsyncClient(base_url=urls["metrics"], headers=headers, timeout=30)
    province_reader = {"Authorization": f"Bearer {platform.admin_token()}"}

    async def province() -> dict[str, int]:
        response = await metrics.get(f"/v1/regions/{PROVINCE}/counters", headers=province_reader)
        response.raise_for_status()
        return {item["counter"]: item["value"] for item in response.json()["items"]}

    async def changed_since(before: dict[str, int], prefix: str) -> tuple[dict[str, int], float]:
        """Until a counter of this domain moves at the province; returns the time it took."""
        started = time.perf_counter()
        while time.perf_counter() - started < 60:
            now = await province()
            moved = [k for k in now if k.startswith(prefix) and now[k] != before.get(k, 0)]
            if moved:
                return now, time.perf_counter() - started
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {prefix}* counter moved at the province: {now}")

    seen: dict[str, float] = {}
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        before = await province()
        federation = await client.post(
            f"{urls['org-registry']}/v1/organisations",
            json={"name": "城关区某街道残联", "kind": "federation", "division_code": township},
        )
        assert federation.status_code == 201, federation.text
        organisation_id = federation.json()["id"]
        before, seen["org-registry"] = await changed_since(before, "federations.")

        # The members service knows the federation only from the registry's events.
        for _ in range(600):
            known = await client.get(f"{urls['members']}/v1/organisations")
            if organisation_id in known.text:
                break
            await asyncio.sleep(0.05)
        member = await client.post(
            f"{urls['members']}/v1/members",
            json={
                "kind": "committee_member",
                "division_code": township,
                "name": "张三丰",
                "citizen_id": citizen_id(4242),
                "disability_relation": "disabled",
                "disability_category": 4,
                "disability_grade": 3,
                "education": "60",
            },
        )
        assert member.status_code == 201, member.text
        appointment = await client.post(
            f"{urls['members']}/v1/members/{member.json()['id']}/appointments",
            json={
                "organisation_id": organisation_id,
                "post": "committee_member",
                "selection_method": "open_examination",
                "contract_start": "2025-01-01",
                "contract_end": "2027-12-31",
                "public_welfare_post": True,
                "monthly_allowance_yuan": "1200.00",
                "social_insurance_subsidy": True,
                "status": "active",
            },
        )
        assert appointment.status_code == 201, appointment.text
        before, seen["members"] = await changed_since(before, "committee_members.")

        client.base_url = httpx.URL(urls["cards"])
        await CardFlows(client, county=COUNTY, village=township[:9] + "001").issue(7)
        before, seen["cards"] = await changed_since(before, "cards.")

        volunteer = await client.post(
            f"{urls['volunteers']}/v1/volunteers",
            json={
                "name": "王小明",
                "phone": "13900002222",
                "division_code": township,
                "skills": ["sign_language"],
                "availability": [],
            },
        )
        assert volunteer.status_code == 201, volunteer.text
        after, seen["volunteers"] = await changed_since(before, "volunteers.")
    await metrics.aclose()

    assert after.get("cards.valid", 0) >= 1
    assert after.get("volunteers.registered", 0) >= 1
    return seen
