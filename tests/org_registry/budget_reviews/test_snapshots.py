"""The budget reviews in force as snapshots shaped as their events (what `canlian metrics
reconcile` reads): a withdrawn review is not listed, a corrected one is at its latest
version; the metrics rollups compared with them find what they have not applied yet, and
nothing once every event is applied."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.events.base import CloudEvent
from canlian.metrics.app import create_app, service_descriptor
from canlian.metrics.reconciliation import service as reconciliation
from canlian.metrics.reconciliation.sources import SOURCES, fetch_snapshots
from canlian.metrics.rollups import consumer
from canlian.metrics.settings import MetricsSettings
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import (
    if_match,
    outbox_events,
    rebuild_schema,
    rolled_back,
    runtime_of,
)

from ..conftest import XINGQING, ZHANGZHENG, event_data
from .test_budget_reviews import federation_with_term, review_body

pytestmark = pytest.mark.postgres

REVIEWS = next(source for source in SOURCES if source.path == "/v1/budget-review-snapshots")


@pytest.fixture(scope="module")
async def metrics_app(org_settings: OrgRegistrySettings) -> AsyncIterator[FastAPI]:
    settings = MetricsSettings(**org_settings.model_dump())
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings, run_consumer=False)
    yield app
    await runtime_of(app).database.dispose()


@pytest.fixture
async def metrics(metrics_app: FastAPI) -> AsyncIterator[FastAPI]:
    async with rolled_back(metrics_app):
        yield metrics_app


async def reviewed(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[str, str, str]:
    """The county's 2024 review approved, then corrected; the township's withdrawn."""
    county = await federation_with_term(client, headers, XINGQING, 7)
    township = await federation_with_term(client, headers, ZHANGZHENG, 2)
    first = await client.post("/v1/budget-reviews", json=review_body(county), headers=headers)
    second = await client.post(
        "/v1/budget-reviews", json=review_body(township, term_number=2), headers=headers
    )
    assert (first.status_code, second.status_code) == (201, 201), second.text
    url = f"/v1/budget-reviews/{first.json()['id']}"
    correction = {
        key: value
        for key, value in review_body(county, executed_yuan="12500000").items()
        if key not in ("organisation_id", "term_number", "year")
    }
    corrected = await client.post(
        f"{url}/corrections",
        json={**correction, "reason": "执行数更正"},
        headers=await if_match(client, url, headers),
    )
    assert corrected.status_code == 200, corrected.text
    other = f"/v1/budget-reviews/{second.json()['id']}"
    withdrawn = await client.post(
        f"{other}/withdrawal",
        json={"reason": "误登记"},
        headers=await if_match(client, other, headers),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    return first.json()["id"], second.json()["id"], county


async def test_snapshots_are_the_reviews_in_force_as_their_events(
    client: httpx.AsyncClient, org_app: FastAPI, county_official: dict[str, str]
) -> None:
    county_review, _, _ = await reviewed(client, county_official)
    response = await client.get(REVIEWS.path, headers=county_official)
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    [event] = await event_data(org_app, "budget-report.review-corrected")
    assert item == event
    assert (item["review_id"], item["version"]) == (county_review, 2)
    narrowed = await client.get(
        REVIEWS.path, params={"region": ZHANGZHENG}, headers=county_official
    )
    assert narrowed.json()["items"] == []  # the township's review was withdrawn


async def test_reconciliation_finds_the_reviews_the_rollups_lack_and_then_none(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    metrics: FastAPI,
    county_official: dict[str, str],
) -> None:
    county_review, township_review, _ = await reviewed(client, county_official)
    token = county_official["Authorization"].removeprefix("Bearer ")
    events = [
        event
        for event in await outbox_events(org_app)
        if event.type.startswith("cn.canlian.org-registry.budget-report.")
    ]
    assert [event.subject for event in events] == [
        county_review,
        township_review,
        county_review,
        township_review,
    ]

    async def roll_up(batch: list[CloudEvent]) -> None:
        async with runtime_of(metrics).database.session() as session:
            await consumer.rollup_events(session, batch)

    async def differences() -> list[tuple[str, str]]:
        snapshots = await fetch_snapshots(client, REVIEWS, token, XINGQING)
        async with runtime_of(metrics).database.session() as session:
            found = await reconciliation.compare_with_source(
                session, REVIEWS.kind, snapshots, XINGQING
            )
        return [(item.entity.removeprefix(f"{REVIEWS.kind}:"), item.problem) for item in found]

    # Only the two reviews as first recorded: the township's still counts, the county's
    # correction (the same approval) changes nothing of what it counts.
    await roll_up(events[:2])
    assert await differences() == [(township_review, "extra")]
    await roll_up(events[2:] + events[:1])  # the rest, and a redelivery
    assert await differences() == []
