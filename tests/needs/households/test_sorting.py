"""The officials' lists in another order (`sort`), page by page, on a real PostgreSQL."""

from typing import Any

import httpx
import pytest

from ..conftest import OTHER_VILLAGE, VILLAGE, new_household, new_need

pytestmark = pytest.mark.postgres


async def _all(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, **params: str
) -> list[Any]:
    ids: list[Any] = []
    query = {"limit": "1", **params}
    while True:
        page = await client.get(path, params=query, headers=headers)
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            return ids
        query["cursor"] = page.json()["next_cursor"]


async def test_households_and_needs_by_region_either_way(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    other = await new_household(client, county, village=OTHER_VILLAGE)
    first = await new_household(client, county, village=VILLAGE)
    assert await _all(client, county, "/v1/households") == [first["id"], other["id"]]
    reversed_ = await _all(client, county, "/v1/households", sort="-division_code")
    assert reversed_ == [other["id"], first["id"]]
    needs = [await new_need(client, county, household["id"]) for household in (other, first)]
    by_region = await _all(client, county, "/v1/needs", sort="-division_code")
    assert by_region == [needs[0]["id"], needs[1]["id"]]


async def test_an_unknown_sort_is_a_problem_on_every_sorted_list(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    for path in ("/v1/households", "/v1/needs", "/v1/visits"):
        unknown = await client.get(path, params={"sort": "name"}, headers=county)
        assert unknown.status_code == 422, path
        assert unknown.json()["type"].endswith("/unknown-sort")
        assert "division_code" in unknown.json()["detail"]
