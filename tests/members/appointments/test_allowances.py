"""The regional allowance minimum over HTTP: the nearest one applies, setting it re-checks and
republishes, an allowance below it is stored as entered."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.testing.services import if_match

from ..conftest import (
    SeedOrganisation,
    all_pages,
    appoint,
)

pytestmark = pytest.mark.postgres

# Villagers' committees (村, last segment >= 200): the lost-work minimum judges their members
# (canlian.common.rules.allowances); 001-199 would be communities on public-welfare posts.
VILLAGE = "620102001201"
OTHER_VILLAGE = "620102002201"


async def test_nearest_regional_minimum_applies_and_changes_republish(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    postgres_settings: object,
    members_app: FastAPI,
) -> None:
    from canlian.common import auth
    from canlian.testing.services import bearer

    await seed_organisation("org-v1", division_code=VILLAGE)
    await seed_organisation("org-v2", division_code=OTHER_VILLAGE)
    sixty = await appoint(client, official, 1, "org-v1", VILLAGE, monthly_allowance_yuan="60")
    hundred = await appoint(
        client, official, 2, "org-v2", OTHER_VILLAGE, monthly_allowance_yuan="100"
    )
    assert sixty["allowance_compliant"] is None  # no policy yet: not judged

    province = bearer(postgres_settings, roles=[auth.OFFICIAL], region="620000000000")  # type: ignore[arg-type]
    saved = await client.put(
        "/v1/allowance-minimums/62/village",
        json={"monthly_minimum_yuan": "100", "basis": "甘肃省“十二五”残疾人组织建设规划"},
        headers=province,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["appointments_rechecked"] == 2
    assert saved.json()["compliance_changed"] == 2
    non_compliant = await all_pages(client, "/v1/reports/allowance-non-compliance", official)
    assert [item["id"] for item in non_compliant] == [sixty["id"]]
    assert non_compliant[0]["allowance_minimum_yuan"] == "100.00"

    # A county may set its own figure (60 yuan in seed 003); the nearer region wins there.
    county = await client.put(
        "/v1/allowance-minimums/620102001/village",
        json={"monthly_minimum_yuan": "60"},
        headers=official,
    )
    assert county.json()["compliance_changed"] == 1
    assert await all_pages(client, "/v1/reports/allowance-non-compliance", official) == []
    other = (await client.get(f"/v1/appointments/{hundred['id']}", headers=official)).json()
    assert other["allowance_minimum_yuan"] == "100.00"
    assert other["allowance_compliant"] is True
    # A county clerk cannot set the province's policy.
    refused = await client.put(
        "/v1/allowance-minimums/62/village", json={"monthly_minimum_yuan": "1"}, headers=official
    )
    assert refused.status_code == 403


async def test_allowance_below_minimum_is_recorded_as_it_is(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await client.put(
        "/v1/allowance-minimums/620102/village",
        json={"monthly_minimum_yuan": "100"},
        headers=official,
    )
    await seed_organisation("org-v1")
    appointment = await appoint(client, official, 3, "org-v1", monthly_allowance_yuan="30.50")
    assert appointment["monthly_allowance_yuan"] == "30.50"
    assert appointment["allowance_compliant"] is False
    raised = await client.patch(
        f"/v1/appointments/{appointment['id']}",
        json={"monthly_allowance_yuan": "120"},
        headers=await if_match(client, f"/v1/appointments/{appointment['id']}", official),
    )
    assert raised.json()["allowance_compliant"] is True
    # Typed as "120", answered as the column keeps it (one format for an amount).
    assert raised.json()["monthly_allowance_yuan"] == "120.00"
    assert raised.json()["version"] == 2


async def test_replacing_a_minimum_names_the_version_it_was_read_at(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    url = "/v1/allowance-minimums/620102/village"
    assert (await client.get(url, headers=official)).status_code == 404
    first = await client.put(url, json={"monthly_minimum_yuan": "80"}, headers=official)
    assert first.status_code == 200, first.text  # a new minimum: nothing to name
    assert first.headers["ETag"] == '"1"'
    missing = await client.put(url, json={"monthly_minimum_yuan": "90"}, headers=official)
    assert missing.status_code == 428
    read = await if_match(client, url, official)
    replaced = await client.put(url, json={"monthly_minimum_yuan": "90"}, headers=read)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["version"] == 2
    stale = await client.put(url, json={"monthly_minimum_yuan": "95"}, headers=read)
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"2"'
    current = (await client.get(url, headers=official)).json()
    assert current["monthly_minimum_yuan"] == "90.00"
