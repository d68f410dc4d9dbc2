"""Special associations' funds minimum as a regional policy, over HTTP on a real PostgreSQL:
a region's minimum re-judges the associations under it (new versions, events carrying the
minimum), the registry's questions and the metrics counters (the mappers over the registry's
snapshots, shaped as its events) keep answering alike, and bad values or callers are refused."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth, policy
from canlian.common.business_day import china_today
from canlian.common.db.metadata import utcnow
from canlian.common.events.org_registry import OrganisationChanged
from canlian.common.policy_values.repository import add_value
from canlian.metrics.contributions.org_registry import organisation_contribution
from canlian.org_registry.policies.models import POLICY_VALUES
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import NINGXIA, XINGQING, YINCHUAN, event_data, register

pytestmark = pytest.mark.postgres

COUNTY_MINIMUM = policy.COUNTY_ACTIVITY_FUNDS_MINIMUM.name


@pytest.fixture
def province_admin(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.ADMIN], region=NINGXIA, subject="nx-admin")


@pytest.fixture
def county_admin(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.ADMIN], region=XINGQING, subject="xq-admin")


async def set_minimum(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    value: object,
    *,
    region: str,
    effective_from: str = "2020-01-01",
    name: str = COUNTY_MINIMUM,
) -> httpx.Response:
    url = f"/v1/policies/{name}/regions/{region}"
    return await client.put(
        f"{url}/values/{effective_from}",
        json={"value": value, "reason": "宁残联发〔2026〕1号"},
        headers=await if_match(client, url, headers),
    )


async def register_special(
    client: httpx.AsyncClient, headers: dict[str, str], category: str, funds: int
) -> str:
    created = await register(
        client,
        headers,
        name=f"兴庆区{category}协会",
        kind="special_association",
        division_code=XINGQING,
        special_category=category,
        standardisation={
            "has_staff": True,
            "has_funds": True,
            "has_premises": True,
            "yearly_activity_funds_yuan": funds,
        },
    )
    identifier: str = created["id"]
    return identifier


async def failing(client: httpx.AsyncClient, headers: dict[str, str], item: str) -> list[str]:
    page = await client.get(
        "/v1/reports/standardisation-failures",
        params={"region": XINGQING, "item": item},
        headers=headers,
    )
    assert page.status_code == 200, page.text
    return sorted(entry["id"] for entry in page.json()["items"])


async def indicator_counters(client: httpx.AsyncClient, headers: dict[str, str]) -> Counter[str]:
    page = await client.get(
        "/v1/organisation-snapshots", params={"within": XINGQING, "limit": 200}, headers=headers
    )
    counters: Counter[str] = Counter()
    for snapshot in page.json()["items"]:
        mapped = organisation_contribution(OrganisationChanged.model_validate(snapshot))
        for (_, counter), value in mapped.contribution.items():
            counters[counter] += value
    return counters


async def assert_registry_and_metrics_agree(
    client: httpx.AsyncClient, headers: dict[str, str], specials: int
) -> tuple[list[str], list[str]]:
    funds = await failing(client, headers, "activity_funds")
    three = await failing(client, headers, "three_in_place")
    counters = await indicator_counters(client, headers)
    assert counters["special_associations"] == specials
    assert counters["special_associations.funds_adequate"] == specials - len(funds)
    assert counters["special_associations.three_in_place"] == specials - len(three)
    return funds, three


async def test_a_regions_minimum_rejudges_its_associations_and_metrics_agree(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    province_admin: dict[str, str],
    county_admin: dict[str, str],
    org_app: FastAPI,
) -> None:
    ids = {
        category: await register_special(client, county_official, category, funds)
        for category, funds in (("blind", 5_000), ("deaf", 6_000), ("physical", 8_000))
    }
    assert await assert_registry_and_metrics_agree(client, county_official, 3) == ([], [])

    # The province raises every county's minimum to 6,000 yuan.
    raised = await set_minimum(client, province_admin, 6_000, region=NINGXIA)
    assert raised.status_code == 200, raised.text
    assert (raised.json()["reevaluated"], raised.json()["changed"]) == (3, 3)
    funds, three = await assert_registry_and_metrics_agree(client, county_official, 3)
    assert funds == three == [ids["blind"]]
    changed = [
        data
        for data in await event_data(org_app, "organisation.changed")
        if data["organisation_id"] == ids["blind"]
    ]
    assert changed[-1]["activity_funds_minimum_yuan"] == 6_000

    # The county sets its own, nearer minimum; the province's stays in its history.
    own = await set_minimum(client, county_admin, 8_000, region=XINGQING)
    assert own.status_code == 200, own.text
    funds, _ = await assert_registry_and_metrics_agree(client, county_official, 3)
    assert funds == sorted([ids["blind"], ids["deaf"]])
    in_force = await client.get(
        f"/v1/policies/{COUNTY_MINIMUM}/regions/{XINGQING}", headers=county_official
    )
    assert (in_force.json()["source"], in_force.json()["set_by_division"]) == ("region", XINGQING)

    # An association registered afterwards is judged by the region's minimum too.
    late = await register_special(client, county_official, "intellectual", 7_000)
    funds, _ = await assert_registry_and_metrics_agree(client, county_official, 4)
    assert late in funds
    announced = await event_data(org_app, "policy-value.set")
    assert [(item["division_code"], item["value"]) for item in announced] == [
        (NINGXIA, "6000"),
        (XINGQING, "8000"),
    ]


async def test_a_value_from_a_later_date_leaves_today_as_it_is(
    client: httpx.AsyncClient, county_official: dict[str, str], county_admin: dict[str, str]
) -> None:
    await register_special(client, county_official, "blind", 5_000)
    later = await set_minimum(
        client, county_admin, 9_000, region=XINGQING, effective_from="2099-01-01"
    )
    assert later.status_code == 200, later.text
    assert later.json()["changed"] == 0
    assert await failing(client, county_official, "activity_funds") == []
    url = f"/v1/policies/{COUNTY_MINIMUM}/regions/{XINGQING}"
    future = await client.get(url, params={"on": "2099-06-01"}, headers=county_official)
    assert float(future.json()["value"]) == 9_000
    today = await client.get(url, headers=county_official)
    assert (today.json()["source"], float(today.json()["value"])) == ("seed", 5_000)


async def test_bad_values_and_callers_are_refused(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    county_admin: dict[str, str],
) -> None:
    listed = await client.get("/v1/policies", headers=county_official)
    assert (
        {item["name"] for item in listed.json()["items"]}
        == {parameter.name for parameter in policy.owned_by("org-registry")}
        >= {policy.CITY_ACTIVITY_FUNDS_MINIMUM.name, COUNTY_MINIMUM}
    )
    assert all(item["seed"][:3] in ("002", "003", "004") for item in listed.json()["items"])
    above: dict[str, Any] = {"region": YINCHUAN}
    assert (await set_minimum(client, county_admin, 6_000, **above)).status_code == 403
    outside = await set_minimum(client, county_admin, 6_000, region="620000000000")
    assert outside.status_code == 403
    official = await set_minimum(client, county_official, 6_000, region=XINGQING)
    assert official.status_code == 403
    too_much = await set_minimum(client, county_admin, 2_000_000, region=XINGQING)
    assert too_much.status_code == 422, too_much.text
    assert "0—1000000" in too_much.json()["detail"]
    seats = policy.SEATS_PER_STREET.name  # owned by members, not here
    unknown = await client.put(
        f"/v1/policies/{seats}/regions/{XINGQING}/values/2020-01-01",
        json={"value": 4, "reason": "文件"},
        headers={**county_admin, "If-Match": "*"},
    )
    assert unknown.status_code == 404, unknown.text


async def test_a_value_set_for_a_later_date_rejudges_once_it_comes_into_force(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    county_admin: dict[str, str],
    org_app: FastAPI,
) -> None:
    blind = await register_special(client, county_official, "blind", 5_000)
    # Set some time ago for yesterday: in force now, though nothing has re-judged since.
    today = china_today()
    async with runtime_of(org_app).database.session() as session:
        await add_value(
            session,
            POLICY_VALUES,
            name=COUNTY_MINIMUM,
            division_code=XINGQING,
            effective_from=today - timedelta(days=1),
            value=Decimal(6_000),
            set_by="xq-admin",
            reason="宁残联发〔2026〕1号",
            version=1,
            created_at=utcnow(),
        )
    assert await failing(client, county_official, "activity_funds") == []
    since = {"last_run": (today - timedelta(days=2)).isoformat()}
    refused = await client.post("/v1/policies/in-force", params=since, headers=county_official)
    assert refused.status_code == 403
    run = await client.post("/v1/policies/in-force", params=since, headers=county_admin)
    assert run.status_code == 200, run.text
    assert run.json()["items"] == [
        {"parameter": COUNTY_MINIMUM, "division_code": XINGQING, "reevaluated": 1, "changed": 1}
    ]
    funds, _ = await assert_registry_and_metrics_agree(client, county_official, 1)
    assert funds == [blind]
    again = await client.post("/v1/policies/in-force", params=since, headers=county_admin)
    assert again.json()["items"][0]["changed"] == 0  # running it again changes nothing
