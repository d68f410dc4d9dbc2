"""The metrics rollups and the needs service agree: the scenario's events, redelivered and
out of order, rolled up by the metrics consumer's handler, give each entity the contribution
the needs service's snapshots (read over its API, as `canlian metrics reconcile` reads them)
give it; until the last event arrives, the entity it changes is reported stale."""

import random
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.events.base import CloudEvent
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app, service_descriptor
from canlian.metrics.reconciliation import service as reconciliation
from canlian.metrics.reconciliation.sources import SOURCES, fetch_snapshots
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.rollups import consumer
from canlian.metrics.settings import MetricsSettings
from canlian.testing.services import rebuild_schema, rolled_back, runtime_of

from ..conftest import CHENGGUAN, outbox_events
from .conftest import Scenario

pytestmark = pytest.mark.postgres

NEEDS_SOURCES = [source for source in SOURCES if source.service == "needs"]


@pytest.fixture(scope="module")
async def metrics_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = MetricsSettings(**postgres_settings.model_dump())
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings, run_consumer=False)
    yield app
    await runtime_of(app).database.dispose()


@pytest.fixture
async def metrics(metrics_app: FastAPI) -> AsyncIterator[FastAPI]:
    async with rolled_back(metrics_app):
        yield metrics_app


async def differences(
    metrics: FastAPI, client: httpx.AsyncClient, token: str
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    async with runtime_of(metrics).database.session() as session:
        for source in NEEDS_SOURCES:
            snapshots = await fetch_snapshots(client, source, token, None)
            assert snapshots, source.path
            compared = await reconciliation.compare_with_source(session, source.kind, snapshots)
            found.extend((item.entity, item.problem) for item in compared)
    return found


async def roll_up(metrics: FastAPI, events: list[CloudEvent]) -> None:
    async with runtime_of(metrics).database.session() as session:
        await consumer.rollup_events(session, events)


async def test_metrics_agrees_with_the_needs_snapshots_after_a_scenario(
    needs_app: FastAPI,
    metrics: FastAPI,
    client: httpx.AsyncClient,
    county: dict[str, str],
    scenario: Scenario,
) -> None:
    token = county["Authorization"].removeprefix("Bearer ")
    envelopes = [e for e in await outbox_events(needs_app) if e.type.startswith("cn.canlian.needs")]
    *earlier, last = envelopes
    assert last.subject == scenario.platform  # the platform's change comes last
    rng = random.Random(15)
    batch = earlier + rng.sample(earlier, len(earlier) // 3)  # redeliveries
    rng.shuffle(batch)  # older versions after newer ones
    for start in range(0, len(batch), 7):
        await roll_up(metrics, batch[start : start + 7])
    assert await differences(metrics, client, token) == [
        (f"needs.platform:{scenario.platform}", "stale")
    ]

    await roll_up(metrics, [last, *rng.sample(earlier, 5)])
    assert await differences(metrics, client, token) == []
    async with runtime_of(metrics).database.session() as session:
        report = await reconciliation.reconcile_contributions(session)
        counters = await regions_repository.counters_of_division(session, CHENGGUAN)
    assert report.differences == []
    of_needs = {k: v for k, v in counters.items() if k.startswith(("needs.", "home_of"))}
    assert of_needs == {
        "needs.households": 2,
        "needs.households_in_difficulty": 1,
        "needs.households_scheduled": 1,
        "needs.filed_persons": 3,
        "needs.services_receiving.rehabilitation": 1,
        "needs.services_in_need.rehabilitation": 2,
        "needs.visits": 1,
        "needs.visits_due": 1,
        "needs.visits_on_schedule": 1,
        "needs.recorded": 3,
        # The need closed twice counts once; the open one not at all.
        "needs.closed": 2,
        "needs.closed_in_time": 2,
        "needs.closing_due": 2,  # none open past its deadline
        "needs.rated": 1,
        "needs.satisfied": 1,
        "needs.petitions": 1,
        "needs.petitions_accepted": 1,
        "needs.petitions_accepted_in_time": 1,
        "needs.petitions_acceptance_due": 1,
        "needs.petitions_closed": 1,
        "needs.petitions_closed_in_time": 1,
        "needs.petitions_closing_due": 1,
        "needs.platforms_open": 1,
        "needs.platforms_open.home_of_disabled": 1,
        "needs.platform_capacity": 3,
        "needs.platform_occupied": 0,  # the referral's place, freed at its closing
        "home_of_disabled.township": 1,
    }
