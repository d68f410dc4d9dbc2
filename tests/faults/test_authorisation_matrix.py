"""Broken object-level authorisation (OWASP API1), every endpoint of every service: a county
clerk aims at another county's objects and must never get them, change them or see them in
a list.

County B's objects are created through the APIs by B's own official; county A's clerk —
holding every scope, the strongest case — then calls every operation of every OpenAPI whose
path names one of them."""

import asyncio
import re
import subprocess
import sys
from typing import Any

import httpx
import pytest

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.org_registry.divisions.dataset import read_divisions
from canlian.testing.services import bearer
from canlian.testing.workloads import CardFlows, citizen_id

from .conftest import ServicePool

pytestmark = pytest.mark.postgres

COUNTY_A = "620102000000"  # 城关区
COUNTY_B = "620103000000"  # 七里河区

# Reference data every official may browse, and catalogue entries that belong to no region.
PUBLIC = (re.compile(r"^/v1/divisions/"), re.compile(r"^/v1/indicators/"))
# The volunteer app's own endpoints take a volunteer's token, never an official's.
NOT_FOR_OFFICIALS = re.compile(r"^/v1/me/")


def _first(level: int, within: str) -> str:
    return next(
        r.code for r in read_divisions("62") if r.level == level and r.code.startswith(within)
    )


async def _seed_county_b(pool: ServicePool, settings: PlatformSettings) -> dict[str, str]:
    b_headers = bearer(settings, roles=[auth.OFFICIAL], region=COUNTY_B)
    township, village = _first(4, COUNTY_B[:6]), _first(5, COUNTY_B[:6])
    ids: dict[str, str] = {"code": COUNTY_B, "division_code": COUNTY_B}
    # Starting services and loading divisions block: keep them off the event loop.
    urls = await asyncio.to_thread(
        lambda: {
            name: pool[name].url
            for name in ("org-registry", "cards", "members", "volunteers", "needs")
        }
    )
    await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "canlian.cli", "divisions", "load", "--province", "62"],
        env=pool.env,
        check=True,
        capture_output=True,
    )
    async with httpx.AsyncClient(headers=b_headers, timeout=30) as client:
        org = await client.post(
            f"{urls['org-registry']}/v1/organisations",
            json={"name": "七里河区某镇残联", "kind": "federation", "division_code": township},
        )
        assert org.status_code == 201, org.text
        ids["organisation_id"] = str(org.json()["id"])

        client.base_url = httpx.URL(urls["cards"])
        flows = CardFlows(client, county=COUNTY_B, village=village, seed=99)
        card_id = await flows.issue(900_001)
        card = (await client.get(f"/v1/cards/{card_id}")).json()
        ids["card_id"] = str(card_id)
        ids["person_id"] = str(card["person_id"])
        ids["application_id"] = str(card.get("application_id") or "")
        ids["institution_id"] = str(await flows.institution())
        # A transfer request of B's to a third county: A is neither of its sides.
        asked = await client.post(
            f"/v1/cards/{card_id}/transfer-requests",
            json={"division_code": "620104000000", "reason": "户籍迁入西固区"},
        )
        assert asked.status_code == 201, asked.text
        ids["transfer_request_id"] = str(asked.json()["id"])

        member = await client.post(
            f"{urls['members']}/v1/members",
            json={
                "kind": "committee_member",
                "division_code": village,
                "name": "李四",
                "citizen_id": citizen_id(900_002, "620103"),
                "disability_relation": "disabled",
                "disability_category": 4,
                "disability_grade": 3,
                "education": "60",
            },
        )
        assert member.status_code == 201, member.text
        ids["member_id"] = str(member.json()["id"])

        volunteers = urls["volunteers"]
        volunteer = await client.post(
            f"{volunteers}/v1/volunteers",
            json={
                "name": "王小明",
                "phone": "13900001111",
                "division_code": village,
                "skills": ["companionship"],
                "availability": [],
            },
        )
        assert volunteer.status_code == 201, volunteer.text
        ids["volunteer_id"] = str(volunteer.json()["id"])
        team = await client.post(
            f"{volunteers}/v1/teams", json={"name": "七里河助残队", "division_code": COUNTY_B}
        )
        assert team.status_code == 201, team.text
        ids["team_id"] = str(team.json()["id"])

        needs = urls["needs"]
        household = await client.post(
            f"{needs}/v1/households",
            json={
                "division_code": village,
                "address": "七里河区某村3号",
                "flags": ["severe"],
                "members": [{"name": "赵六", "relation": "head", "disabled": True}],
            },
        )
        assert household.status_code == 201, household.text
        ids["household_id"] = str(household.json()["id"])
        need = await client.post(
            f"{needs}/v1/needs",
            json={
                "household_id": ids["household_id"],
                "category": "care",
                "channel": "walk_in",
                "description": "需要托养",
            },
        )
        assert need.status_code == 201, need.text
        ids["need_id"] = str(need.json()["id"])
        platform = await client.post(
            f"{needs}/v1/platforms",
            json={
                "name": "七里河区残疾人之家",
                "kind": "home_of_disabled",
                "division_code": township,
                "services": ["day_care"],
                "capacity": 5,
            },
        )
        assert platform.status_code == 201, platform.text
        ids["platform_id"] = str(platform.json()["id"])
    return {key: value for key, value in ids.items() if value}


def _fill(path: str, ids: dict[str, str]) -> str | None:
    names = re.findall(r"\{([a-z_]+)\}", path)
    if any(name not in ids for name in names):
        return None
    for name in names:
        path = path.replace("{" + name + "}", ids[name])
    return path


@pytest.fixture(scope="package")
async def county_b_objects(
    service_processes: ServicePool, postgres_settings: PlatformSettings
) -> dict[str, str]:
    return await _seed_county_b(service_processes, postgres_settings)


@pytest.mark.parametrize(
    "service", ["org-registry", "members", "cards", "volunteers", "metrics", "needs"]
)
def test_no_county_reaches_another_countys_objects(
    service: str,
    service_processes: ServicePool,
    postgres_settings: PlatformSettings,
    county_b_objects: dict[str, str],
) -> None:
    pool = service_processes
    ids = county_b_objects
    clerk_a = bearer(
        postgres_settings, roles=[auth.OFFICIAL], region=COUNTY_A, scopes=[auth.PERSONAL_DATA_READ]
    )
    clerk_a["X-Access-Reason"] = "audit"
    base = pool[service].url
    schema = httpx.get(f"{base}/openapi.json", timeout=10).json()
    leaks: list[str] = []
    checked = 0
    with httpx.Client(base_url=base, headers=clerk_a, timeout=30) as client:
        for path, operations in schema["paths"].items():
            if NOT_FOR_OFFICIALS.match(path) or any(p.match(path) for p in PUBLIC):
                continue
            for method in operations:
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                target = _fill(path, ids) if "{" in path else path
                if target is None:
                    continue
                kwargs: dict[str, Any] = {} if method in ("get", "delete") else {"json": {}}
                response = client.request(method.upper(), target, **kwargs)
                checked += 1
                if "{" in path and response.status_code < 300:
                    leaks.append(f"{method.upper()} {target} -> {response.status_code}")
                listed = "{" not in path and method == "get" and response.status_code < 300
                if listed and COUNTY_B[:6] in response.text:
                    leaks.append(f"GET {target} lists county B's data")
    assert checked > 0
    assert not leaks, "\n".join(leaks)
