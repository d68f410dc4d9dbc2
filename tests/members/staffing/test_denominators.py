"""The staffing report follows the registry's denominators policy (rules.denominators), read
from its PolicyValueSet events: a development zone or virtual community left out is neither
a place nor a staffed place, and counts on both sides from the date a region counts it."""

from datetime import date
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common import policy
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import PolicyValueSet
from canlian.members.app import apply_organisation_events
from canlian.members.policies.models import POLICY_VALUES
from canlian.testing.services import runtime_of

from ..conftest import COUNTY, TOWNSHIP, SeedOrganisation, all_pages, appoint

pytestmark = pytest.mark.postgres

ZONE = "620102400000"  # a development zone (township segment 400+)
VIRTUAL = "620102001498"  # a virtual community (虚拟社区)


async def set_value(app: FastAPI, name: str, since: date, value: int, version: int) -> None:
    event = PolicyValueSet(
        parameter=name,
        division_code=COUNTY,
        effective_from=since,
        value=Decimal(value),
        version=version,
    )
    async with runtime_of(app).database.session() as session:
        await apply_organisation_events(
            session, [CloudEvent.wrap(event, source="/canlian/org-registry")]
        )


async def staffing(
    client: httpx.AsyncClient, official: dict[str, str]
) -> dict[str, tuple[int, int]]:
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    return {
        row["township_code"]: (row["places"] - row["vacancies"], row["places"]) for row in summary
    }


async def test_zones_and_virtual_communities_count_as_the_registry_policy_says(
    client: httpx.AsyncClient,
    members_app: FastAPI,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
) -> None:
    await seed_organisation("fed-t", kind="federation", level=4, division_code=TOWNSHIP)
    await seed_organisation("fed-zone", kind="federation", level=4, division_code=ZONE)
    await seed_organisation("assoc-virtual", division_code=VIRTUAL)
    await appoint(client, official, 1, "fed-t", division_code=TOWNSHIP)
    await appoint(client, official, 2, "fed-zone", division_code=ZONE)

    # The seed's reading: neither counts; the zone's own member staffs no place.
    assert await staffing(client, official) == {TOWNSHIP: (1, 1), ZONE: (0, 0)}
    vacant = await all_pages(client, "/v1/reports/vacancies", official)
    assert [item["division_code"] for item in vacant] == []

    # A registry value of another parameter is not kept: members reads only these two.
    await set_value(members_app, policy.COUNTY_ACTIVITY_FUNDS_MINIMUM.name, date(2020, 1, 1), 1, 1)
    async with runtime_of(members_app).database.session() as session:
        assert await session.scalar(select(func.count()).select_from(POLICY_VALUES)) == 0

    # The county counts its zones from a past date, its virtual communities from a future one.
    await set_value(members_app, policy.DEVELOPMENT_ZONES_COUNTED.name, date(2024, 3, 1), 1, 1)
    await set_value(members_app, policy.VIRTUAL_COMMUNITIES_COUNTED.name, date(2099, 1, 1), 1, 1)
    assert await staffing(client, official) == {TOWNSHIP: (1, 1), ZONE: (1, 1)}

    # Virtual communities from a past date: the unstaffed one is a vacancy now.
    await set_value(members_app, policy.VIRTUAL_COMMUNITIES_COUNTED.name, date(2024, 1, 1), 1, 2)
    assert await staffing(client, official) == {TOWNSHIP: (1, 2), ZONE: (1, 1)}
    vacant = await all_pages(client, "/v1/reports/vacancies", official)
    assert [item["division_code"] for item in vacant] == [VIRTUAL]

    # A later value that stops counting zones, replayed: the zone is out again, once.
    for _ in range(2):
        await set_value(members_app, policy.DEVELOPMENT_ZONES_COUNTED.name, date(2025, 1, 1), 0, 2)
    assert await staffing(client, official) == {TOWNSHIP: (1, 2), ZONE: (0, 0)}
