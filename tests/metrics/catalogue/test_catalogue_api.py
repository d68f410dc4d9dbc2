"""The indicator catalogue's API on PostgreSQL: paging, filters, unknown codes as problems."""

import httpx
import pytest

from ..conftest import (
    LANZHOU,
)

pytestmark = pytest.mark.postgres


async def test_catalogue_is_paginated_and_filtered(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    first = await client.get("/v1/indicators", params={"limit": 20}, headers=official)
    assert first.status_code == 200
    assert len(first.json()["items"]) == 20
    second = await client.get(
        "/v1/indicators",
        params={"limit": 20, "cursor": first.json()["next_cursor"]},
        headers=official,
    )
    codes = [item["code"] for item in first.json()["items"] + second.json()["items"]]
    assert len(codes) == len(set(codes)) == 40
    reported = await client.get(
        "/v1/indicators", params={"kind": "reported", "limit": 100}, headers=official
    )
    assert {item["kind"] for item in reported.json()["items"]} == {"reported"}
    # Seed 004's headline table (13) and the rest of its eight tables and seed 003's (70).
    assert len(reported.json()["items"]) == 13 + 70
    assert {item["measure"] for item in reported.json()["items"]} == {"ratio", "count", "plain"}


async def test_unknown_indicator_and_region_are_404_problems(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    missing = await client.get("/v1/indicators/no-such-thing", headers=official)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"].endswith("/unknown-indicator")
    region = await client.get("/v1/regions/621000000000/indicators", headers=official)
    assert region.status_code == 404
    assert region.json()["type"].endswith("/unknown-region")
    drill = await client.get(f"/v1/regions/{LANZHOU}/indicators/nope/children", headers=official)
    assert drill.status_code == 404
    malformed = await client.get("/v1/regions/62x/indicators", headers=official)
    assert malformed.status_code == 422
    assert "区划代码" in malformed.json()["title"]
