"""The federations' terms as snapshots shaped as their events (what `canlian metrics
reconcile` reads, for the terms at their middle that mid-term reviews are counted against):
an association's terms are not listed; the rollups compared with them find the terms they have
not applied yet, and nothing once every event is applied."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.metrics.reconciliation.sources import SOURCES
from canlian.testing.services import outbox_events

from ..conftest import (
    ZHANGZHENG,
    ZHANGZHENG_VILLAGE,
    event_data,
    hold_term,
    reconciled,
    register,
    roll_up,
)
from ..midterm_reviews.test_midterm_reviews import federation_with_term

pytestmark = pytest.mark.postgres

TERMS = next(source for source in SOURCES if source.path == "/v1/term-snapshots")


async def test_term_snapshots_are_the_federations_terms_as_their_events(
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

    terms = (await client.get(TERMS.path, headers=county_official)).json()["items"]
    [held, _] = await event_data(org_app, "term.held")
    assert [item["organisation_id"] for item in terms] == [fid]  # federations' terms only
    assert {k: v for k, v in terms[0].items() if k != "version"} == {
        k: v for k, v in held.items() if k != "version"
    }

    [(entity, problem)] = await reconciled(client, metrics, TERMS, county_official)
    assert (fid in entity, problem) == (True, "missing")
    events = [
        event
        for event in await outbox_events(org_app)
        if event.type.startswith("cn.canlian.org-registry.term.")
    ]
    await roll_up(metrics, events)
    assert await reconciled(client, metrics, TERMS, county_official) == []
