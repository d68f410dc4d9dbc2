"""A region sets how often its special-difficulty households are visited and its petition
deadlines; the nearest region's value in force applies, else the seed default."""

from datetime import timedelta

import httpx
import pytest

from canlian.common.business_day import china_today

from ..conftest import CHENGGUAN, QILIHE, VILLAGE, new_household, new_need

pytestmark = pytest.mark.postgres

TODAY = china_today().isoformat()


async def test_a_countys_interval_applies_to_its_villages_and_the_seed_elsewhere(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    seed = await client.get(f"/v1/policy-values/visits.severe_days/{VILLAGE}", headers=county)
    assert seed.status_code == 200, seed.text
    assert (float(seed.json()["value"]), seed.json()["set_by_region"]) == (30, None)
    assert "002" in seed.json()["seed"]
    set_value = await client.post(
        f"/v1/policy-values/visits.severe_days/{CHENGGUAN}",
        json={"effective_from": TODAY, "value": 14},
        headers=county,
    )
    assert set_value.status_code == 201, set_value.text
    inherited = await client.get(f"/v1/policy-values/visits.severe_days/{VILLAGE}", headers=county)
    assert (float(inherited.json()["value"]), inherited.json()["set_by_region"]) == (
        14,
        CHENGGUAN,
    )
    household = await new_household(client, county, flags=["severe"])
    assert household["visit_interval_days"] == 14
    assert household["next_visit_due"] == (china_today() + timedelta(days=14)).isoformat()


async def test_a_petition_deadline_set_by_the_county(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    await client.post(
        f"/v1/policy-values/petitions.acceptance_days/{CHENGGUAN}",
        json={"effective_from": "2020-01-01", "value": 10},
        headers=county,
    )
    household = await new_household(client, county)
    need = await new_need(
        client,
        county,
        household["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": TODAY},
    )
    assert need["petition_acceptance_due"] == (china_today() + timedelta(days=10)).isoformat()


async def test_values_are_bounded_named_and_set_only_in_scope(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    url = f"/v1/policy-values/visits.living_alone_days/{CHENGGUAN}"
    too_rare = await client.post(url, json={"effective_from": TODAY, "value": 400}, headers=county)
    assert too_rare.status_code == 422
    assert too_rare.json()["type"].endswith("/policy-value-out-of-range")
    first = await client.post(url, json={"effective_from": TODAY, "value": 10}, headers=county)
    assert first.status_code == 201
    again = await client.post(url, json={"effective_from": TODAY, "value": 12}, headers=county)
    assert again.status_code == 409
    seats = await client.post(
        f"/v1/policy-values/seats.village_committee_members/{CHENGGUAN}",
        json={"effective_from": TODAY, "value": 2},
        headers=county,
    )
    assert seats.status_code == 404  # the members service keeps that one
    outside = await client.post(
        f"/v1/policy-values/visits.severe_days/{QILIHE}",
        json={"effective_from": TODAY, "value": 20},
        headers=county,
    )
    assert outside.status_code == 403
    hidden = await client.get(f"/v1/policy-values/visits.severe_days/{QILIHE}", headers=county)
    assert hidden.status_code == 404
