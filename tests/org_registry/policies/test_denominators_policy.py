"""Whether virtual communities and development zones count (rules.denominators) as a regional
policy of the registry, over HTTP on a real PostgreSQL with Ningxia loaded: by the seed the
coverage questions leave 宁夏原种场虚拟生活区 out; a county that counts it counts it from its
value's date; a value outside 0–1 is refused naming the range, a region outside the caller's
scope with 403."""

import httpx
import pytest

from canlian.common import auth, policy
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match

from ..conftest import NINGXIA, XINGQING

pytestmark = pytest.mark.postgres

HELAN = "640122000000"  # 贺兰县
SEED_FARM = "640122402000"  # 宁夏原种场 (township segment 402: a farm, not a 乡镇)
VIRTUAL = "640122402598"  # 宁夏原种场虚拟生活区
VIRTUAL_COUNTED = policy.VIRTUAL_COMMUNITIES_COUNTED.name
ZONES_COUNTED = policy.DEVELOPMENT_ZONES_COUNTED.name


async def set_flag(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    value: object,
    *,
    region: str,
    effective_from: str = "2020-01-01",
    name: str = VIRTUAL_COUNTED,
) -> httpx.Response:
    url = f"/v1/policies/{name}/regions/{region}"
    return await client.put(
        f"{url}/values/{effective_from}",
        json={"value": value, "reason": "贺残联发〔2026〕2号"},
        headers=await if_match(client, url, headers),
    )


async def coverage(
    client: httpx.AsyncClient, headers: dict[str, str], as_of: str | None = None
) -> tuple[int, list[str]]:
    params = {"division": SEED_FARM, **({"as_of": as_of} if as_of else {})}
    summary = await client.get("/v1/reports/coverage", params=params, headers=headers)
    assert summary.status_code == 200, summary.text
    listed = await client.get("/v1/reports/uncovered-villages", params=params, headers=headers)
    assert listed.status_code == 200, listed.text
    return summary.json()["villages"], [item["code"] for item in listed.json()["items"]]


async def test_a_county_counts_its_virtual_communities_from_its_date(
    client: httpx.AsyncClient, official: dict[str, str], org_settings: OrgRegistrySettings
) -> None:
    assert await coverage(client, official) == (0, [])  # the seed: not a village
    admin = bearer(org_settings, roles=[auth.ADMIN], region=HELAN, subject="hl-admin")
    response = await set_flag(client, admin, 1, region=HELAN)
    assert response.status_code == 200, response.text
    assert await coverage(client, official) == (1, [VIRTUAL])
    assert await coverage(client, official, "2019-12-31") == (0, [])
    assert await coverage(client, official, "2020-01-01") == (1, [VIRTUAL])
    read = await client.get(f"/v1/policies/{VIRTUAL_COUNTED}/regions/{SEED_FARM}", headers=official)
    assert (read.json()["source"], float(read.json()["value"])) == ("ancestor", 1)


async def test_bad_flags_and_regions_outside_scope_are_refused(
    client: httpx.AsyncClient, official: dict[str, str], org_settings: OrgRegistrySettings
) -> None:
    county_admin = bearer(org_settings, roles=[auth.ADMIN], region=XINGQING, subject="xq-admin")
    for name in (VIRTUAL_COUNTED, ZONES_COUNTED):
        too_much = await set_flag(client, county_admin, 2, region=XINGQING, name=name)
        assert too_much.status_code == 422, too_much.text
        assert "0—1" in too_much.json()["detail"]
        assert (too_much.json()["minimum"], too_much.json()["maximum"]) == ("0", "1")
        half = await set_flag(client, county_admin, 0.5, region=XINGQING, name=name)
        assert half.status_code == 422, half.text
        other_county = await set_flag(client, county_admin, 1, region=HELAN, name=name)
        assert other_county.status_code == 403, other_county.text
        above = await set_flag(client, county_admin, 1, region=NINGXIA, name=name)
        assert above.status_code == 403, above.text
    # Nothing was set: Helan still reads the seed.
    read = await client.get(f"/v1/policies/{ZONES_COUNTED}/regions/{HELAN}", headers=official)
    assert (read.json()["source"], float(read.json()["value"])) == ("seed", 0)
