"""A region sets how often its special-difficulty households are visited and its petition
deadlines through the kit's policy values (`/v1/policies`): the nearest region's value in
force applies, else the seed default; range, role and scope are checked first."""

from datetime import timedelta

import httpx
import pytest

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.needs.settings import NeedsSettings
from canlian.testing.services import bearer, if_match

from ..conftest import CHENGGUAN, QILIHE, VILLAGE, new_household, new_need

pytestmark = pytest.mark.postgres

TODAY = china_today().isoformat()


@pytest.fixture
def county_admin(needs_settings: NeedsSettings) -> dict[str, str]:
    return bearer(needs_settings, roles=[auth.ADMIN], region=CHENGGUAN, subject="admin-cg")


async def put_value(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    name: str,
    region: str,
    value: object,
    effective_from: str = TODAY,
) -> httpx.Response:
    url = f"/v1/policies/{name}/regions/{region}"
    return await client.put(
        f"{url}/values/{effective_from}",
        json={"value": value, "reason": "城关区残联文件〔2026〕5号"},
        headers=await if_match(client, url, headers),
    )


async def test_a_countys_interval_applies_to_its_villages_and_the_seed_elsewhere(
    client: httpx.AsyncClient, county: dict[str, str], county_admin: dict[str, str]
) -> None:
    seed = await client.get(f"/v1/policies/visits.severe_days/regions/{VILLAGE}", headers=county)
    assert seed.status_code == 200, seed.text
    assert (float(seed.json()["value"]), seed.json()["source"]) == (30, "seed")
    assert "002" in seed.json()["seed"]
    set_value = await put_value(client, county_admin, "visits.severe_days", CHENGGUAN, 14)
    assert set_value.status_code in (200, 201), set_value.text
    inherited = await client.get(
        f"/v1/policies/visits.severe_days/regions/{VILLAGE}", headers=county
    )
    assert (float(inherited.json()["value"]), inherited.json()["set_by_division"]) == (
        14,
        CHENGGUAN,
    )
    household = await new_household(client, county, flags=["severe"])
    assert household["visit_interval_days"] == 14
    assert household["next_visit_due"] == (china_today() + timedelta(days=14)).isoformat()


async def test_a_petition_deadline_set_by_the_county(
    client: httpx.AsyncClient, county: dict[str, str], county_admin: dict[str, str]
) -> None:
    saved = await put_value(
        client, county_admin, "petitions.acceptance_days", CHENGGUAN, 10, "2020-01-01"
    )
    assert saved.status_code in (200, 201), saved.text
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


async def test_values_are_bounded_owned_and_set_only_in_scope_by_administrators(
    client: httpx.AsyncClient, county: dict[str, str], county_admin: dict[str, str]
) -> None:
    too_rare = await put_value(client, county_admin, "visits.living_alone_days", CHENGGUAN, 400)
    assert too_rare.status_code == 422, too_rare.text
    assert "3" in too_rare.json()["detail"]
    assert "365" in too_rare.json()["detail"]
    clerk = await put_value(client, county, "visits.living_alone_days", CHENGGUAN, 10)
    assert clerk.status_code == 403, clerk.text
    seats = await client.get(
        f"/v1/policies/seats.village_committee_members/regions/{CHENGGUAN}", headers=county
    )
    assert seats.status_code == 404  # the members service keeps that one
    outside = await put_value(client, county_admin, "visits.severe_days", QILIHE, 20)
    assert outside.status_code == 403, outside.text
