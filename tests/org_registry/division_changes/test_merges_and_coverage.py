"""Seed 001: associations follow village restructuring. When a covered village is merged,
its association's coverage moves to the successor; what cannot be decided is refused."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.org_registry.divisions.models import DivisionChange
from canlian.org_registry.organisations.models import Organisation
from canlian.testing.services import runtime_of

pytestmark = pytest.mark.postgres

ZHANGZHENG = "640104100000"
ZHANGZHENG_VILLAGE = "640104100200"
CHUNLIN = "640104100201"
WALU = "640104100202"
XINYUE = "640104101004"  # another township


async def _association(
    client: httpx.AsyncClient, headers: dict[str, str], village: str, covered: list[str]
) -> Any:
    response = await client.post(
        "/v1/organisations",
        json={
            "name": f"{village}残协",
            "kind": "association",
            "division_code": village,
            "covered_divisions": covered,
            "established_on": "2016-05-01",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _merge(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, into: str
) -> httpx.Response:
    return await client.post(
        "/v1/division-changes",
        json={
            "change": "merged",
            "code": code,
            "successor_code": into,
            "effective_on": "2024-03-01",
        },
        headers=headers,
    )


async def _get(client: httpx.AsyncClient, headers: dict[str, str], organisation_id: str) -> Any:
    return (await client.get(f"/v1/organisations/{organisation_id}", headers=headers)).json()


async def test_a_joint_association_follows_its_merged_village_to_the_successor(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    joint = await _association(client, county_official, ZHANGZHENG_VILLAGE, [WALU])
    response = await _merge(client, county_official, WALU, CHUNLIN)
    assert response.status_code == 201, response.text
    after = await _get(client, county_official, joint["id"])
    assert after["covered_divisions"] == [ZHANGZHENG_VILLAGE, CHUNLIN]
    assert after["division_code"] == ZHANGZHENG_VILLAGE
    assert after["version"] == 2

    async def covered(**params: str) -> tuple[int, int]:
        body = (
            await client.get(
                "/v1/reports/coverage",
                params={"division": ZHANGZHENG, **params},
                headers=county_official,
            )
        ).json()
        return body["villages"], body["covered"]

    assert await covered(as_of="2020-12-31") == (13, 2)  # 掌政 and 洼路, as they were
    assert await covered() == (12, 2)  # 掌政 and 春林 now


async def test_an_association_seated_in_the_merged_village_moves_its_seat(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    seated = await _association(client, county_official, WALU, [])
    response = await _merge(client, county_official, WALU, CHUNLIN)
    assert response.status_code == 201, response.text
    after = await _get(client, county_official, seated["id"])
    assert (after["division_code"], after["covered_divisions"]) == (CHUNLIN, [CHUNLIN])
    trail = (
        await client.get(f"/v1/organisations/{seated['id']}/changes", headers=county_official)
    ).json()["items"]
    assert trail[-1]["action"] == "coverage.follows-division-merge"
    assert trail[-1]["before"]["division_code"] == WALU


@pytest.mark.parametrize("case", ["successor-covered", "other-township", "group"])
async def test_merges_the_association_cannot_follow_are_refused_whole(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI, case: str
) -> None:
    await _association(client, county_official, WALU, [])
    into = CHUNLIN
    if case == "successor-covered":
        await _association(client, county_official, CHUNLIN, [])
    elif case == "other-township":
        into = XINYUE
    else:
        group = await client.post(
            "/v1/organisations",
            json={"name": "洼路小组", "kind": "group", "division_code": WALU},
            headers=county_official,
        )
        assert group.status_code == 201

    async def state() -> tuple[int, int, list[str]]:
        async with runtime_of(org_app).database.session() as session:
            changes = await session.scalar(select(func.count()).select_from(DivisionChange))
            versions = await session.scalar(select(func.sum(Organisation.version)))
            seats = (await session.scalars(select(Organisation.division_code))).all()
        return int(changes or 0), int(versions or 0), sorted(seats)

    before = await state()
    response = await _merge(client, county_official, WALU, into)
    assert response.status_code == 409, response.text
    assert response.json()["type"].endswith("/division-change-conflict")
    # The village named beside its code, without calling it 村 (a 嘎查 would read wrong).
    assert f"洼路村委会({WALU})" in response.json()["detail"]
    assert await state() == before
    still = await client.get(f"/v1/divisions/{WALU}", headers=county_official)
    assert still.status_code == 200
