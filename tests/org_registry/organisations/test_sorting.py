"""The organisation list in another order (`sort`), page by page, on a real PostgreSQL."""

from typing import Any

import httpx
import pytest

from ..conftest import DAXIN, XINGQING, register

pytestmark = pytest.mark.postgres


async def _all(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> list[Any]:
    ids: list[Any] = []
    query = {"limit": "1", **params}
    while True:
        page = await client.get("/v1/organisations", params=query, headers=headers)
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            return ids
        query["cursor"] = page.json()["next_cursor"]


async def test_organisations_by_region_or_by_level_either_way(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    county = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    township = await register(
        client, county_official, name="大新镇残联", kind="federation", division_code=DAXIN
    )
    ids = [county["id"], township["id"]]
    assert await _all(client, county_official) == ids
    assert await _all(client, county_official, sort="-level") == ids[::-1]
    unknown = await client.get(
        "/v1/organisations", params={"sort": "established_on"}, headers=county_official
    )
    assert unknown.status_code == 422
    assert unknown.json()["type"].endswith("/unknown-sort")
