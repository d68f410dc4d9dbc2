"""Seats policy values over HTTP on a real PostgreSQL: anyone reads, an administrator of the
region or above sets a value from a date (If-Match on the region's version), out of range is a
422 naming the range, history is kept, audited and announced, and the seats rule reads the
street's value: a 409 seats-filled turns into a 201 once the county raises the street's seats."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth, policy
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import (
    COUNTY,
    SeedOrganisation,
    appoint,
    appointment_body,
    outbox_envelopes,
    register,
)

STREET = "620102001000"  # 街道 (segment 001) of 城关区
STREETS = policy.SEATS_PER_STREET.name
IN_FORCE = f"/v1/policies/{STREETS}/regions/{COUNTY}"


@pytest.fixture
def county_admin(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.ADMIN], region=COUNTY, subject="county-admin")


@pytest.fixture
def province_admin(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.ADMIN], region="620000000000", subject="gs")


async def put_value(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    value: object,
    *,
    region: str = COUNTY,
    effective_from: str = "2024-01-01",
    name: str = STREETS,
) -> httpx.Response:
    url = f"/v1/policies/{name}/regions/{region}"
    return await client.put(
        f"{url}/values/{effective_from}",
        json={"value": value, "reason": "城关区残联文件〔2024〕3号"},
        headers=await if_match(client, url, headers),
    )


async def test_anyone_with_a_token_reads_the_parameters_and_their_seed(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    listed = await client.get("/v1/policies", headers=official)
    assert listed.status_code == 200, listed.text
    by_name = {item["name"]: item for item in listed.json()["items"]}
    assert set(by_name) == {parameter.name for parameter in policy.owned_by("members")}
    assert by_name[STREETS]["seed"].startswith("003")
    assert float(by_name[STREETS]["seed_default"]) == 5
    in_force = await client.get(f"/v1/policies/{STREETS}/regions/{STREET}", headers=official)
    assert in_force.status_code == 200, in_force.text
    assert in_force.json()["source"] == "seed"
    assert float(in_force.json()["value"]) == 5
    assert in_force.headers["ETag"] == '"0"'
    unknown = await client.get(f"/v1/policies/seats.nowhere/regions/{STREET}", headers=official)
    assert unknown.status_code == 404


async def test_a_value_is_set_from_a_date_inherited_and_kept_with_its_history(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county_admin: dict[str, str],
    province_admin: dict[str, str],
    members_app: FastAPI,
) -> None:
    province = await put_value(client, province_admin, 4, region="620000000000")
    assert province.status_code == 200, province.text
    first = await put_value(client, county_admin, 3, effective_from="2025-01-01")
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 1
    assert first.headers["ETag"] == '"1"'
    later = await put_value(client, county_admin, 5, effective_from="2026-01-01")
    assert later.status_code == 200, later.text

    async def in_force(code: str, on: str) -> dict[str, object]:
        response = await client.get(
            f"/v1/policies/{STREETS}/regions/{code}", params={"on": on}, headers=official
        )
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    assert (await in_force(STREET, "2024-06-01"))["set_by_division"] == "620000000000"
    on_2025 = await in_force(STREET, "2025-06-01")
    assert (float(str(on_2025["value"])), on_2025["source"]) == (3, "ancestor")
    assert on_2025["set_by_division"] == COUNTY
    on_2026 = await in_force(COUNTY, "2026-06-01")
    assert (float(str(on_2026["value"])), on_2026["source"]) == (5, "region")
    history = on_2026["history"]
    assert isinstance(history, list)
    assert [(item["effective_from"], item["version"]) for item in history] == [
        ("2025-01-01", 1),
        ("2026-01-01", 2),
    ]
    assert {item["set_by"] for item in history} == {"county-admin"}

    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        audited = list(
            await session.scalars(
                select(runtime.tables.audit_log.c.object_id).where(
                    runtime.tables.audit_log.c.action == "policy-value.set"
                )
            )
        )
    assert audited.count(f"{STREETS}@{COUNTY}") == 2
    announced = [
        envelope["data"]
        for envelope in await outbox_envelopes(members_app)
        if envelope["type"] == "cn.canlian.members.policy-value.set"
    ]
    assert [(item["division_code"], item["version"]) for item in announced] == [
        ("620000000000", 1),
        (COUNTY, 1),
        (COUNTY, 2),
    ]


async def test_scope_role_range_and_version_are_checked(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county_admin: dict[str, str],
    postgres_settings: PlatformSettings,
) -> None:
    outside = await put_value(client, county_admin, 4, region="640000000000")
    assert outside.status_code == 403, outside.text
    above = await put_value(client, county_admin, 4, region="620000000000")
    assert above.status_code == 403, above.text
    not_admin = await put_value(client, official, 4)
    assert not_admin.status_code == 403, not_admin.text
    assert not_admin.json()["type"].endswith("/policy-administrator-required")

    too_many = await put_value(client, county_admin, 6)
    assert too_many.status_code == 422, too_many.text
    assert too_many.json()["minimum"] == "3"
    assert too_many.json()["maximum"] == "5"
    assert "3—5" in too_many.json()["detail"]
    url = f"{IN_FORCE}/values/2024-01-01"
    english = await client.put(
        url,
        json={"value": "3.5", "reason": "a document"},
        headers={**await if_match(client, IN_FORCE, county_admin), "Accept-Language": "en"},
    )
    assert english.status_code == 422
    assert "between 3 and 5" in english.json()["detail"]

    missing = await client.put(url, json={"value": 4, "reason": "文件"}, headers=county_admin)
    assert missing.status_code == 428, missing.text
    stale = await if_match(client, IN_FORCE, county_admin)
    assert (await put_value(client, county_admin, 4)).status_code == 200
    refused = await client.put(url, json={"value": 3, "reason": "文件"}, headers=stale)
    assert refused.status_code == 412, refused.text
    assert refused.json()["current_etag"] == '"1"'


async def test_raising_a_streets_seats_turns_seats_filled_into_an_appointment(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county_admin: dict[str, str],
    seed_organisation: SeedOrganisation,
) -> None:
    await seed_organisation("street-fed", kind="federation", division_code=STREET, level=4)
    lowered = await put_value(client, county_admin, 3)
    assert lowered.status_code == 200, lowered.text
    for n in range(3):
        await appoint(client, official, 60 + n, "street-fed")
    fourth = await register(client, official, sequence=64)
    refused = await client.post(
        f"/v1/members/{fourth}/appointments",
        json=appointment_body("street-fed"),
        headers=official,
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["policy_value"] == 3
    seats = await client.get("/v1/reports/seats", params={"region": COUNTY}, headers=official)
    assert seats.status_code == 200, seats.text
    assert [(p["division_code"], p["seats"]) for p in seats.json()["items"]] == [(STREET, 3)]

    raised = await put_value(client, county_admin, 4, effective_from="2024-06-01")
    assert raised.status_code == 200, raised.text
    assert raised.json()["reevaluated"] == 1
    assert raised.json()["changed"] == 1
    taken = await client.post(
        f"/v1/members/{fourth}/appointments",
        json=appointment_body("street-fed"),
        headers=official,
    )
    assert taken.status_code == 201, taken.text
    seats = await client.get("/v1/reports/seats", params={"region": COUNTY}, headers=official)
    assert [(p["seats"], p["vacant_seats"]) for p in seats.json()["items"]] == [(4, 0)]
