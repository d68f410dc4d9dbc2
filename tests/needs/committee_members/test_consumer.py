"""The members service's appointment events say where each committee member serves."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.events.members import MemberKind

from ..conftest import OTHER_VILLAGE, QILIHE_VILLAGE, VILLAGE, appointment, deliver

pytestmark = pytest.mark.postgres


async def test_an_appointment_gives_the_member_the_places_it_serves(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    await deliver(needs_app, [appointment("ap-1", "m-1", [VILLAGE, OTHER_VILLAGE])])
    response = await client.get("/v1/committee-members/m-1/area", headers=county)
    assert response.status_code == 200, response.text
    assert response.json()["served_divisions"] == [VILLAGE, OTHER_VILLAGE]


async def test_a_stale_event_is_ignored_and_a_newer_one_replaces(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    await deliver(needs_app, [appointment("ap-2", "m-2", [VILLAGE], version=2)])
    await deliver(needs_app, [appointment("ap-2", "m-2", [OTHER_VILLAGE], version=1)])
    area = await client.get("/v1/committee-members/m-2/area", headers=county)
    assert area.json()["served_divisions"] == [VILLAGE]
    # The member resigned: no post held, no area.
    await deliver(needs_app, [appointment("ap-2", "m-2", [VILLAGE], version=3, holds_post=False)])
    gone = await client.get("/v1/committee-members/m-2/area", headers=county)
    assert gone.status_code == 404


async def test_staff_are_not_committee_members_and_other_counties_see_nothing(
    needs_app: FastAPI,
    client: httpx.AsyncClient,
    county: dict[str, str],
    other_county: dict[str, str],
) -> None:
    await deliver(
        needs_app,
        [
            appointment("ap-3", "m-3", [VILLAGE], kind=MemberKind.FEDERATION_STAFF),
            appointment("ap-4", "m-4", [QILIHE_VILLAGE]),
        ],
    )
    assert (await client.get("/v1/committee-members/m-3/area", headers=county)).status_code == 404
    assert (await client.get("/v1/committee-members/m-4/area", headers=county)).status_code == 404
    seen = await client.get("/v1/committee-members/m-4/area", headers=other_county)
    assert seen.status_code == 200
