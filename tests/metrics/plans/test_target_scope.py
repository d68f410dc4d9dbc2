"""Targets that mean what they say at each level, on PostgreSQL: a rate applies below, a count
belongs to its region unless it is split (by villages, or set per region)."""

from typing import Any

import httpx
import pytest

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match

from ..conftest import CHENGGUAN, COVERAGE, GANSU, LANZHOU, QILIHE, by_indicator, create_plan

pytestmark = pytest.mark.postgres

VOLUNTEERS = "registered-volunteers"


def on_lanzhou(indicator: str, final: float, **extra: Any) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "region": LANZHOU,
        "comparator": "ge",
        "final_value": final,
        **extra,
    }


async def put_targets(
    client: httpx.AsyncClient, headers: dict[str, str], *targets: dict[str, Any]
) -> httpx.Response:
    return await client.put(
        "/v1/plans/gs-12th/targets", json={"targets": list(targets)}, headers=headers
    )


async def children(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, indicator: str
) -> dict[str, dict[str, Any]]:
    response = await client.get(
        f"/v1/regions/{code}/indicators/{indicator}/children",
        params={"plan": "gs-12th"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return {child["region"]["code"]: child["value"] for child in response.json()["children"]}


async def test_a_count_target_stays_on_its_region_and_a_rate_reaches_below(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await put_targets(client, official, on_lanzhou(VOLUNTEERS, 650))
    assert response.status_code == 200, response.text
    counties = await children(client, official, LANZHOU, VOLUNTEERS)
    assert {code: (v["status"], v["gap"], v["target"]) for code, v in counties.items()} == {
        CHENGGUAN: ("no_target", None, None),
        QILIHE: ("no_target", None, None),
    }
    city = await client.get(
        f"/v1/regions/{LANZHOU}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    assert by_indicator(city.json(), VOLUNTEERS)["gap"] == 650
    # The coverage rate set on the province applies to every county.
    rates = await children(client, official, LANZHOU, COVERAGE)
    assert rates[CHENGGUAN]["target"]["set_on"] == GANSU
    assert rates[CHENGGUAN]["target"]["value"] == 100


async def test_an_apportioned_count_target_splits_by_villages_and_gaps_add_up(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await put_targets(
        client, official, on_lanzhou(VOLUNTEERS, 650, apportionment="villages")
    )
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["apportionment"] == "villages"
    counties = await children(client, official, LANZHOU, VOLUNTEERS)
    # Chengguan has 2 of Lanzhou's 5 villages, Qilihe 3.
    assert counties[CHENGGUAN]["target"]["value"] == pytest.approx(260)
    assert counties[CHENGGUAN]["target"]["share"] == pytest.approx(0.4)
    assert counties[QILIHE]["target"]["value"] == pytest.approx(390)
    assert sum(v["gap"] for v in counties.values()) == pytest.approx(650)
    # Set per region: Qilihe's own target replaces its share.
    await put_targets(
        client,
        official,
        {"indicator": VOLUNTEERS, "region": QILIHE, "comparator": "ge", "final_value": 100},
    )
    counties = await children(client, official, LANZHOU, VOLUNTEERS)
    assert counties[QILIHE]["target"]["value"] == 100
    assert counties[QILIHE]["target"]["share"] is None


async def test_a_rate_target_cannot_be_apportioned(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await put_targets(
        client, official, on_lanzhou(COVERAGE, 100, apportionment="villages")
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/rate-not-apportioned")


async def test_only_the_plans_region_or_above_sets_its_targets(
    client: httpx.AsyncClient,
    official: dict[str, str],
    postgres_settings: PlatformSettings,
    gansu: None,
) -> None:
    await create_plan(client, official)
    county = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN, subject="cg")
    own = {"indicator": VOLUNTEERS, "region": CHENGGUAN, "comparator": "ge", "final_value": 1}
    refused = await put_targets(client, county, own)
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"].endswith("/plan-owned-above")
    assert GANSU in refused.json()["detail"]
    removal = await client.delete(
        "/v1/plans/gs-12th/targets",
        params={"indicator": COVERAGE, "region": QILIHE},
        headers=bearer(postgres_settings, roles=[auth.OFFICIAL], region=QILIHE, subject="qlh"),
    )
    assert removal.status_code == 403
    targets = await client.get("/v1/plans/gs-12th/targets", headers=official)
    assert {(t["indicator"], t["region"]) for t in targets.json()["items"]} == {
        (COVERAGE, GANSU),
        (COVERAGE, QILIHE),
    }
    # The county may still publish a plan of its own and set targets on it.
    body = {"code": "cg-12th", "name": "城关区十二五", "region": CHENGGUAN}
    period = {"start_year": 2011, "end_year": 2015, "midterm_year": 2013}
    created = await client.post("/v1/plans", json={**body, **period}, headers=county)
    assert created.status_code == 201, created.text
    mine = await client.put("/v1/plans/cg-12th/targets", json={"targets": [own]}, headers=county)
    assert mine.status_code == 200, mine.text
    # The province (or above) may set targets on the county's plan too.
    above = await client.put(
        "/v1/plans/cg-12th/targets",
        json={"targets": [own]},
        headers=await if_match(client, "/v1/plans/cg-12th/targets", official),
    )
    assert above.status_code == 200, above.text
