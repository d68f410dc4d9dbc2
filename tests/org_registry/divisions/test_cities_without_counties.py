"""Dongguan (4419) has no county level: its townships hang directly under the city. Loaded
as a filtered subtree of the real dataset inside the test's rolled-back transaction."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import divisions
from canlian.org_registry.divisions.dataset import read_divisions
from canlian.org_registry.divisions.loading import LoadTally, apply_dataset_batch
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, runtime_of

pytestmark = pytest.mark.postgres

DONGGUAN = "441900000000"
DONGCHENG = "441900003000"  # 东城街道, a township under the city
GANGBEI = "441900003001"  # 岗贝社区
HUAYUAN = "441900003002"  # 花园新村社区


@pytest.fixture
async def dongguan(client: httpx.AsyncClient, org_app: FastAPI) -> None:
    # `client` binds the app's sessions to the test's transaction, so this load rolls back.
    records = [
        record
        for record in read_divisions("44")
        if record.code in ("440000000000", DONGGUAN) or record.code.startswith("441900003")
    ]
    async with runtime_of(org_app).database.session() as session:
        await apply_dataset_batch(session, records, LoadTally())


def test_codes_under_a_city_without_counties_are_valid_and_have_each_ancestor_once() -> None:
    assert divisions.parse(GANGBEI) == GANGBEI
    assert divisions.ancestors(GANGBEI) == [DONGCHENG, DONGGUAN, "440000000000", divisions.NATION]
    assert divisions.parent(DONGCHENG) == DONGGUAN
    with pytest.raises(divisions.InvalidDivisionCode):
        divisions.parse("440000003000")  # a township still needs its city


async def test_a_township_of_dongguan_hangs_under_the_city(
    dongguan: None, client: httpx.AsyncClient, org_settings: OrgRegistrySettings
) -> None:
    headers = bearer(org_settings, region=DONGGUAN)
    response = await client.get(f"/v1/divisions/{GANGBEI}/ancestors", headers=headers)
    assert response.status_code == 200, response.text
    ancestors = response.json()["items"]
    assert [item["code"] for item in ancestors] == ["440000000000", DONGGUAN, DONGCHENG]
    children = (await client.get(f"/v1/divisions/{DONGGUAN}/children", headers=headers)).json()
    assert [item["code"] for item in children["items"]] == [DONGCHENG]

    async def register(body: dict[str, Any]) -> Any:
        response = await client.post("/v1/organisations", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    city = await register({"name": "东莞市残联", "kind": "federation", "division_code": DONGGUAN})
    township = await register(
        {"name": "东城街道残联", "kind": "federation", "division_code": DONGCHENG}
    )
    assert township["level"] == 4
    assert township["parent_organisation_id"] == city["id"]
    joint = await register(
        {
            "name": "岗贝花园联合残协",
            "kind": "association",
            "division_code": GANGBEI,
            "covered_divisions": [HUAYUAN],
        }
    )
    assert joint["parent_organisation_id"] == township["id"]
    summary = await client.get(
        "/v1/reports/coverage", params={"division": DONGCHENG}, headers=headers
    )
    assert summary.json()["covered"] == 2
