"""The acts of a term in force, of either kind, as snapshots shaped as their events (what
`canlian metrics reconcile` reads): a withdrawn act is not listed, a corrected one is at its
latest version; the metrics rollups compared with them find what they have not applied yet,
and nothing once every event is applied."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.metrics.reconciliation.sources import SOURCES, Source
from canlian.testing.services import if_match, outbox_events

from ..budget_reviews import test_budget_reviews as budget
from ..conftest import DAXIN, XINGQING, ZHANGZHENG, event_data, reconciled, roll_up
from ..midterm_reviews import test_midterm_reviews as midterm

pytestmark = pytest.mark.postgres

Headers = dict[str, str]


@dataclass(frozen=True)
class Kind:
    """How the tests record two acts of a kind: the first is corrected, the second, in
    `second_region`, withdrawn."""

    path: str
    source: Source
    events: str  # the prefix of the kind's event types
    corrected: str
    second_region: str
    bodies: Callable[[httpx.AsyncClient, Headers], Awaitable[tuple[dict[str, Any], ...]]]
    kept: tuple[str, ...]  # what a correction does not restate
    correction: dict[str, Any]


def source(path: str) -> Source:
    return next(item for item in SOURCES if item.path == path)


async def budget_bodies(client: httpx.AsyncClient, headers: Headers) -> tuple[dict[str, Any], ...]:
    """The county's 2024 review approved; the township's (its 2nd term) to be withdrawn."""
    county = await budget.federation_with_term(client, headers, XINGQING, 7)
    township = await budget.federation_with_term(client, headers, ZHANGZHENG, 2)
    return budget.review_body(county), budget.review_body(township, term_number=2)


async def midterm_bodies(client: httpx.AsyncClient, headers: Headers) -> tuple[dict[str, Any], ...]:
    """The county reviews two township federations' leadership past the middle of the term."""
    first = await midterm.federation_with_term(client, headers, ZHANGZHENG)
    second = await midterm.federation_with_term(client, headers, DAXIN)
    return midterm.review_body(first), midterm.review_body(second)


BUDGET = Kind(
    path="/v1/budget-reviews",
    source=source("/v1/budget-review-snapshots"),
    events="cn.canlian.org-registry.budget-report.",
    corrected="budget-report.review-corrected",
    second_region=ZHANGZHENG,
    bodies=budget_bodies,
    kept=("organisation_id", "term_number", "year"),
    # The same approval: the correction changes nothing of what the rollups count.
    correction={"executed_yuan": "12500000", "reason": "执行数更正"},
)
MIDTERM = Kind(
    path="/v1/midterm-reviews",
    source=source("/v1/midterm-review-snapshots"),
    events="cn.canlian.org-registry.term.mid-term-review",
    corrected="term.mid-term-review-corrected",
    second_region=DAXIN,
    bodies=midterm_bodies,
    kept=("organisation_id", "term_number"),
    correction={"result": "fair", "reason": "复核更正"},
)


async def recorded(client: httpx.AsyncClient, kind: Kind, headers: Headers) -> tuple[str, str]:
    """Both acts recorded, the first corrected, the second withdrawn: their ids."""
    first_body, second_body = await kind.bodies(client, headers)
    first = await client.post(kind.path, json=first_body, headers=headers)
    second = await client.post(kind.path, json=second_body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201), second.text
    url = f"{kind.path}/{first.json()['id']}"
    correction = {key: value for key, value in first_body.items() if key not in kind.kept}
    corrected = await client.post(
        f"{url}/corrections",
        json={**correction, **kind.correction},
        headers=await if_match(client, url, headers),
    )
    assert corrected.status_code == 200, corrected.text
    other = f"{kind.path}/{second.json()['id']}"
    withdrawn = await client.post(
        f"{other}/withdrawal",
        json={"reason": "误登记"},
        headers=await if_match(client, other, headers),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    return first.json()["id"], second.json()["id"]


@pytest.mark.parametrize("kind", [BUDGET, MIDTERM], ids=["budget_reviews", "midterm_reviews"])
async def test_snapshots_are_the_acts_in_force_as_their_events_and_reconcile(
    kind: Kind,
    client: httpx.AsyncClient,
    org_app: FastAPI,
    metrics: FastAPI,
    county_official: Headers,
) -> None:
    first, second = await recorded(client, kind, county_official)
    response = await client.get(kind.source.path, headers=county_official)
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    [event] = await event_data(org_app, kind.corrected)
    assert item == event
    assert (item["review_id"], item["version"]) == (first, 2)
    narrowed = await client.get(
        kind.source.path, params={"region": kind.second_region}, headers=county_official
    )
    assert narrowed.json()["items"] == []  # the second act was withdrawn

    events = [event for event in await outbox_events(org_app) if event.type.startswith(kind.events)]
    assert [event.subject for event in events] == [first, second, first, second]
    assert await reconciled(client, metrics, kind.source, county_official) == [(first, "missing")]
    # Only the two acts as first recorded: the second still counts, the first's correction
    # changes nothing of what it counts.
    await roll_up(metrics, events[:2])
    assert await reconciled(client, metrics, kind.source, county_official) == [(second, "extra")]
    await roll_up(metrics, events[2:] + events[:1])  # the rest, and a redelivery
    assert await reconciled(client, metrics, kind.source, county_official) == []
