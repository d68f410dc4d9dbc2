"""The snapshots for the metrics reconciliation state what the last event of each entity
said, nothing personal, and only within the caller's scope."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.events import needs as events

from ..conftest import CHENGGUAN, OTHER_VILLAGE, outbox_events
from .conftest import Scenario

pytestmark = pytest.mark.postgres

HOUSEHOLDS = "/v1/household-snapshots"

ENDPOINTS = {
    HOUSEHOLDS: (events.HouseholdRegistered, events.HouseholdChanged),
    "/v1/visit-snapshots": (events.HomeVisitRecorded,),
    "/v1/need-snapshots": (
        events.NeedRecorded,
        events.NeedMerged,
        events.NeedAssessed,
        events.NeedReferred,
        events.NeedClosed,
        events.NeedEscalated,
        events.NeedRated,
        events.NeedReopened,
    ),
    "/v1/platform-snapshots": (events.PlatformRegistered, events.PlatformChanged),
}


async def _pages(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": 2, **params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        found.extend(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if not cursor:
            return found


async def test_snapshots_state_what_the_last_events_said(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str], scenario: Scenario
) -> None:
    envelopes = await outbox_events(needs_app)
    for path, kinds in ENDPOINTS.items():
        types = {kind.event_type for kind in kinds}
        last: dict[str, dict[str, Any]] = {}
        for envelope in envelopes:
            if envelope.type in types:
                last[envelope.subject or ""] = envelope.data
        items = await _pages(client, path, county)
        assert sorted(items, key=str) == sorted(last.values(), key=str), path
    households = {item["household_id"]: item for item in await _pages(client, HOUSEHOLDS, county)}
    first = households[scenario.households[0]]
    assert first["services"] == [{"kind": "rehabilitation", "receiving": 1, "needed": 1}]
    assert "address" not in first
    assert "张" not in str(households)
    needs = {item["need_id"]: item for item in await _pages(client, "/v1/need-snapshots", county)}
    assert needs[scenario.needs[1]]["assessed_on"] is not None
    assert needs[scenario.needs[0]]["satisfaction"] == "satisfied"


async def test_snapshots_keep_to_the_callers_scope(
    client: httpx.AsyncClient,
    county: dict[str, str],
    other_county: dict[str, str],
    scenario: Scenario,
) -> None:
    within = await _pages(client, HOUSEHOLDS, county, region=OTHER_VILLAGE)
    assert [item["household_id"] for item in within] == [scenario.households[1]]
    for path in ENDPOINTS:
        assert await _pages(client, path, other_county) == []
        outside = await client.get(path, params={"region": CHENGGUAN}, headers=other_county)
        assert outside.status_code == 403, path
