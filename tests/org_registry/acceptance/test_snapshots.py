"""The current inspections as snapshots shaped as their events (what `canlian metrics
reconcile` reads): a re-inspection's replaced inspection is not listed, the caller's region
bounds the list; the metrics rollups compared with them find the inspections they have not
applied yet, and nothing once every event is applied."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.events.base import CloudEvent
from canlian.metrics.reconciliation import service as reconciliation
from canlian.metrics.reconciliation.sources import SOURCES, fetch_snapshots
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.rollups import consumer
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import (
    bearer,
    if_match,
    outbox_events,
    runtime_of,
)

from ..conftest import DAXIN, XINGQING, ZHANGZHENG, event_data, register

pytestmark = pytest.mark.postgres

INSPECTIONS = next(source for source in SOURCES if source.path == "/v1/inspection-snapshots")
SEED_SCORES = {"organisation": 18, "staff": 18, "facilities": 17, "funds": 13, "mechanism": 20}
CONDITIONAL = {**SEED_SCORES, "mechanism": 8}  # 74: passed with conditions


def body(scores: dict[str, int], inspected_on: str = "2026-06-01") -> dict[str, object]:
    return {
        "inspected_on": inspected_on,
        "findings": [{"item": item, "score": str(score)} for item, score in scores.items()],
    }


async def inspected_townships(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> tuple[str, str, str]:
    """掌政镇 passes; 大新镇 passes with conditions, then a re-inspection replaces that.
    Returns the ids of the pass, the replaced inspection and the re-inspection."""
    ids = []
    for code in (ZHANGZHENG, DAXIN):
        federation = await register(
            client, headers, name="镇残联", kind="federation", division_code=code
        )
        ids.append(federation["id"])
    passed = await client.post(
        f"/v1/organisations/{ids[0]}/inspections", json=body(SEED_SCORES), headers=headers
    )
    assert passed.status_code == 201, passed.text
    first = await client.post(
        f"/v1/organisations/{ids[1]}/inspections", json=body(CONDITIONAL), headers=headers
    )
    assert first.status_code == 201, first.text
    assert first.json()["result"] == "passed_with_conditions"
    url = f"/v1/inspections/{first.json()['id']}"
    again = await client.post(
        f"{url}/reinspections",
        json=body(SEED_SCORES, "2026-09-01"),
        headers=await if_match(client, url, headers),
    )
    assert again.status_code == 201, again.text
    return passed.json()["id"], first.json()["id"], again.json()["id"]


async def test_snapshots_are_the_current_inspections_as_their_events(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
) -> None:
    passed, replaced, reinspection = await inspected_townships(client, county_official)
    response = await client.get(INSPECTIONS.path, headers=county_official)
    assert response.status_code == 200, response.text
    items = {item["inspection_id"]: item for item in response.json()["items"]}
    assert set(items) == {passed, reinspection}  # the replaced one no longer counts
    events = {e["inspection_id"]: e for e in await event_data(org_app, "standardisation.inspected")}
    assert set(events) == {passed, replaced, reinspection}
    assert items[passed] == events[passed]
    assert items[reinspection] == events[reinspection]
    assert items[reinspection]["reinspection_of"] == replaced

    township = bearer(org_settings, roles=[auth.OFFICIAL], region=DAXIN, subject="daxin")
    own = await client.get(INSPECTIONS.path, headers=township)
    assert [item["inspection_id"] for item in own.json()["items"]] == [reinspection]
    narrowed = await client.get(
        INSPECTIONS.path, params={"region": ZHANGZHENG}, headers=county_official
    )
    assert [item["inspection_id"] for item in narrowed.json()["items"]] == [passed]
    other = bearer(org_settings, roles=[auth.OFFICIAL], region="640105000000", subject="other")
    elsewhere = await client.get(INSPECTIONS.path, headers=other)
    assert elsewhere.json()["items"] == []
    # A wider region asked for answers the narrower of the two: the caller's own.
    wider = await client.get(INSPECTIONS.path, params={"region": XINGQING}, headers=township)
    assert [item["inspection_id"] for item in wider.json()["items"]] == [reinspection]


async def test_reconciliation_finds_the_inspections_the_rollups_lack_and_then_none(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    metrics: FastAPI,
    county_official: dict[str, str],
) -> None:
    passed, replaced, reinspection = await inspected_townships(client, county_official)
    token = county_official["Authorization"].removeprefix("Bearer ")
    events = [
        event
        for event in await outbox_events(org_app)
        if event.type.startswith("cn.canlian.org-registry.standardisation.")
    ]
    assert [event.subject for event in events] == [passed, replaced, reinspection, replaced]

    async def roll_up(batch: list[CloudEvent]) -> None:
        async with runtime_of(metrics).database.session() as session:
            await consumer.rollup_events(session, batch)

    async def differences() -> list[tuple[str, str]]:
        snapshots = await fetch_snapshots(client, INSPECTIONS, token, XINGQING)
        async with runtime_of(metrics).database.session() as session:
            found = await reconciliation.compare_with_source(
                session, INSPECTIONS.kind, snapshots, XINGQING
            )
        return [(item.entity.removeprefix(f"{INSPECTIONS.kind}:"), item.problem) for item in found]

    async def townships_passed() -> int:
        async with runtime_of(metrics).database.session() as session:
            counters = await regions_repository.counters_of_division(session, XINGQING)
        return counters.get("acceptance.townships_passed", 0)

    # The conditional pass applied, neither the re-inspection nor the replacement yet.
    await roll_up(events[:2])
    assert sorted(await differences()) == sorted([(replaced, "extra"), (reinspection, "missing")])
    assert await townships_passed() == 1
    await roll_up(events[2:] + events[:1])  # the rest, and a redelivery
    assert await differences() == []
    assert await townships_passed() == 2
