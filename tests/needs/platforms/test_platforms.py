"""Service platforms: registered in the caller's region, one name per division, changed
against the version read."""

import httpx
import pytest

from canlian.testing.services import if_match

from ..conftest import QILIHE, new_platform

pytestmark = pytest.mark.postgres


async def test_a_platform_is_registered_listed_and_changed(
    client: httpx.AsyncClient, county: dict[str, str], other_county: dict[str, str]
) -> None:
    platform = await new_platform(client, county, capacity=20)
    assert (platform["capacity"], platform["occupied"], platform["free"]) == (20, 0, 20)
    listed = await client.get("/v1/platforms?offers=day_care", headers=county)
    assert [item["id"] for item in listed.json()["items"]] == [platform["id"]]
    none = await client.get("/v1/platforms?offers=sheltered_work", headers=county)
    assert none.json()["items"] == []
    url = f"/v1/platforms/{platform['id']}"
    assert (await client.get(url, headers=other_county)).status_code == 404
    changed = await client.patch(
        url, json={"capacity": 25, "open": False}, headers=await if_match(client, url, county)
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["capacity"], changed.json()["open"]) == (25, False)
    assert (await client.patch(url, json={"staff": 1}, headers=county)).status_code == 428


async def test_one_name_per_division_and_only_in_scope(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    await new_platform(client, county)
    again = await client.post(
        "/v1/platforms",
        json={
            "name": "城关区某街道残疾人之家",
            "kind": "home_of_disabled",
            "division_code": "620102003000",
            "services": ["day_care"],
            "capacity": 5,
        },
        headers=county,
    )
    assert again.status_code == 409
    outside = await client.post(
        "/v1/platforms",
        json={
            "name": "七里河区如康家园",
            "kind": "rukang",
            "division_code": QILIHE,
            "services": ["community_rehabilitation"],
            "capacity": 5,
        },
        headers=county,
    )
    assert outside.status_code == 403
