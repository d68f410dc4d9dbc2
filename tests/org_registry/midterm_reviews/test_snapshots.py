"""The mid-term reviews in force and the federations' terms as snapshots shaped as their
events (what `canlian metrics reconcile` reads): the rollups compared with them find the
terms and reviews they have not applied yet, and nothing once every event is applied."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.events.base import CloudEvent
from canlian.metrics.app import create_app, service_descriptor
from canlian.metrics.reconciliation import service as reconciliation
from canlian.metrics.reconciliation.sources import SOURCES, Source, fetch_snapshots
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

from ..conftest import XINGQING, ZHANGZHENG, ZHANGZHENG_VILLAGE, event_data, hold_term, register
from .test_midterm_reviews import federation_with_term, review_body

pytestmark = pytest.mark.postgres

REVIEWS = next(source for source in SOURCES if source.path == "/v1/midterm-review-snapshots")
TERMS = next(source for source in SOURCES if source.path == "/v1/term-snapshots")


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


async def test_snapshots_and_reconciliation_of_terms_and_reviews(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    metrics: FastAPI,
    county_official: dict[str, str],
) -> None:
    fid = await federation_with_term(client, county_official, ZHANGZHENG)
    association = await register(
        client, county_official, name="残协", kind="association", division_code=ZHANGZHENG_VILLAGE
    )
    its_term = await hold_term(
        client, county_official, association["id"], starts_on="2022-01-01", ends_on="2026-12-31"
    )
    assert its_term.status_code == 201, its_term.text
    response = await client.post(
        "/v1/midterm-reviews", json=review_body(fid), headers=county_official
    )
    assert response.status_code == 201, response.text
    url = f"/v1/midterm-reviews/{response.json()['id']}"
    corrected = await client.post(
        f"{url}/corrections",
        json={
            **{
                k: v
                for k, v in review_body(fid).items()
                if k not in ("organisation_id", "term_number")
            },
            "result": "fair",
            "reason": "复核更正",
        },
        headers=await if_match(client, url, county_official),
    )
    assert corrected.status_code == 200, corrected.text

    terms = (await client.get(TERMS.path, headers=county_official)).json()["items"]
    [held, _] = await event_data(org_app, "term.held")
    assert [item["organisation_id"] for item in terms] == [fid]  # federations' terms only
    assert {k: v for k, v in terms[0].items() if k != "version"} == {
        k: v for k, v in held.items() if k != "version"
    }
    [review] = (await client.get(REVIEWS.path, headers=county_official)).json()["items"]
    [event] = await event_data(org_app, "term.mid-term-review-corrected")
    assert review == event

    token = county_official["Authorization"].removeprefix("Bearer ")
    events = [
        event
        for event in await outbox_events(org_app)
        if event.type.startswith("cn.canlian.org-registry.term.")
    ]

    async def roll_up(batch: list[CloudEvent]) -> None:
        async with runtime_of(metrics).database.session() as session:
            await consumer.rollup_events(session, batch)

    async def differences(source: Source) -> list[str]:
        snapshots = await fetch_snapshots(client, source, token, XINGQING)
        async with runtime_of(metrics).database.session() as session:
            found = await reconciliation.compare_with_source(
                session, source.kind, snapshots, XINGQING
            )
        return [item.problem for item in found]

    assert await differences(TERMS) == ["missing"]
    assert await differences(REVIEWS) == ["missing"]
    await roll_up(events)
    assert await differences(TERMS) == []
    assert await differences(REVIEWS) == []
