"""The officials' lists in another order (`sort`), page by page, on a real PostgreSQL."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.volunteers.conftest import Api

pytestmark = pytest.mark.postgres


async def _all(api: Api, path: str, **params: str) -> list[Any]:
    ids: list[Any] = []
    query = {"limit": "1", **params}
    while True:
        page = await api.client.get(path, params=query, headers=api.official())
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            return ids
        query["cursor"] = page.json()["next_cursor"]


async def test_needs_by_start_or_by_volunteers_needed(api: Api) -> None:
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    needed = (3, 1, 2)
    ids = [
        (await api.create_need(starts_at=soon + timedelta(days=number), volunteers_needed=count))[
            "id"
        ]
        for number, count in enumerate(needed)
    ]
    assert await _all(api, "/v1/needs") == ids
    assert await _all(api, "/v1/needs", sort="-starts_at") == ids[::-1]
    assert await _all(api, "/v1/needs", sort="volunteers_needed") == [ids[1], ids[2], ids[0]]


async def test_an_unknown_sort_is_a_problem_on_every_sorted_list(api: Api) -> None:
    for path in ("/v1/volunteers", "/v1/needs", "/v1/service-records"):
        unknown = await api.client.get(path, params={"sort": "name"}, headers=api.official())
        assert unknown.status_code == 422, path
        assert unknown.json()["type"].endswith("/unknown-sort")
