"""The real-name archive over HTTP on a real PostgreSQL: masked personal data, one entry per
person, scope, audited unmasked reads, versioned profile changes."""

import json
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.members.archive.models import Member
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import (
    COUNTY,
    TOWNSHIP,
    VILLAGE,
    SeedOrganisation,
    appointment_body,
    count_rows,
    make_citizen_id,
    member_body,
    outbox_envelopes,
    register,
)

pytestmark = pytest.mark.postgres


async def test_registration_masks_personal_data_everywhere(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    number = make_citizen_id(7)
    response = await client.post(
        "/v1/members", json=member_body(7, name="欧阳春花"), headers=official
    )
    assert response.status_code == 201
    body = response.json()
    assert body["citizen_id"] == number[:2] + "*" * 16
    assert body["name"] == "欧阳**"
    assert body["phone"] == "139****5678"
    assert body["sex"] == "male"  # sequence 007: odd
    assert body["birth_year"] == 1980
    events = await outbox_envelopes(members_app)
    assert [event["type"] for event in events] == ["cn.canlian.members.member.registered"]
    raw = json.dumps(events, ensure_ascii=False)
    assert number not in raw
    assert "欧阳" not in raw
    assert "13912345678" not in raw
    async with runtime_of(members_app).database.session() as session:
        stored = await session.scalar(select(Member))
        assert stored is not None
        assert number not in stored.citizen_id_ciphertext
        assert "欧阳" not in stored.name_ciphertext


async def test_invalid_check_digit_is_refused_with_the_expected_digit(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    good = make_citizen_id(3)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = await client.post(
        "/v1/members", json=member_body(3, citizen_id=bad), headers=official
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.citizen_id"
    assert f"应为 {good[17]}" in error["message"]
    assert await count_rows(members_app, Member) == 0


async def test_a_person_is_registered_once(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    first = await register(client, official, sequence=5)
    again = await client.post("/v1/members", json=member_body(5), headers=official)
    assert again.status_code == 409
    assert again.json()["member_id"] == first


async def test_disabled_person_needs_a_category_and_others_may_not_have_one(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    missing = await client.post(
        "/v1/members", json=member_body(1, disability_category=None), headers=official
    )
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/disability-category-required")
    relative = await client.post(
        "/v1/members",
        json=member_body(2, disability_relation="relative", disability_category=4),
        headers=official,
    )
    assert relative.status_code == 422


async def test_scope_403_on_write_and_404_on_read(
    client: httpx.AsyncClient, official: dict[str, str], postgres_settings: PlatformSettings
) -> None:
    outside = await client.post(
        "/v1/members", json=member_body(9, division_code="330604001001"), headers=official
    )
    assert outside.status_code == 403
    member_id = await register(client, official, sequence=10)
    neighbour = bearer(postgres_settings, roles=[auth.OFFICIAL], region="620103000000")
    assert (await client.get(f"/v1/members/{member_id}", headers=neighbour)).status_code == 404
    listing = await client.get("/v1/members", headers=neighbour)
    assert listing.json()["items"] == []


async def test_unmasked_read_needs_scope_and_reason_and_is_audited(
    client: httpx.AsyncClient,
    official: dict[str, str],
    postgres_settings: PlatformSettings,
    members_app: FastAPI,
) -> None:
    member_id = await register(client, official, sequence=11)
    denied = await client.get(f"/v1/members/{member_id}/personal-data", headers=official)
    assert denied.status_code == 403
    allowed = bearer(
        postgres_settings, region=COUNTY, scopes=[auth.PERSONAL_DATA_READ], subject="auditor"
    )
    no_reason = await client.get(f"/v1/members/{member_id}/personal-data", headers=allowed)
    assert no_reason.status_code == 422
    response = await client.get(
        f"/v1/members/{member_id}/personal-data",
        headers={**allowed, "X-Access-Reason": quote("核对聘任材料")},
    )
    assert response.status_code == 200
    assert response.json()["citizen_id"] == make_citizen_id(11)
    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        rows = (
            await session.execute(
                select(runtime.tables.audit_log.c.actor, runtime.tables.audit_log.c.reason)
            )
        ).all()
    assert [tuple(row) for row in rows] == [("auditor", "核对聘任材料")]


async def test_profile_change_is_versioned_and_republished_on_held_posts(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1", division_code=VILLAGE)
    member_id = await register(client, official, sequence=20)
    await client.post(
        f"/v1/members/{member_id}/appointments", json=appointment_body("org-v1"), headers=official
    )
    response = await client.patch(
        f"/v1/members/{member_id}",
        json={"in_talent_pool": True, "disability_relation": "relative"},
        headers=await if_match(client, f"/v1/members/{member_id}", official),
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["disability_category"] is None
    events = await outbox_envelopes(members_app)
    assert [event["type"].rsplit(".", 1)[-1] for event in events[-2:]] == ["changed", "changed"]
    assert events[-1]["data"]["member_disability_relation"] == "relative"
    assert events[-1]["data"]["version"] == 2


async def test_lookup_by_citizen_id_within_scope_only(
    client: httpx.AsyncClient, official: dict[str, str], postgres_settings: PlatformSettings
) -> None:
    member_id = await register(client, official, 61)
    found = await client.post(
        "/v1/members/lookup", json={"citizen_id": make_citizen_id(61)}, headers=official
    )
    assert found.status_code == 200
    assert found.json()["id"] == member_id
    neighbour = bearer(postgres_settings, roles=[auth.OFFICIAL], region="620103000000")
    hidden = await client.post(
        "/v1/members/lookup", json={"citizen_id": make_citizen_id(61)}, headers=neighbour
    )
    assert hidden.status_code == 404
    absent = await client.post(
        "/v1/members/lookup", json={"citizen_id": make_citizen_id(62)}, headers=official
    )
    assert absent.status_code == 404


async def test_an_archive_entry_moves_within_scope_only(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    member_id = await register(client, official, 65)
    moved = await client.patch(
        f"/v1/members/{member_id}",
        json={"division_code": TOWNSHIP},
        headers=await if_match(client, f"/v1/members/{member_id}", official),
    )
    assert moved.status_code == 200
    assert moved.json()["division_code"] == TOWNSHIP
    assert (await outbox_envelopes(members_app))[-1]["data"]["division_code"] == TOWNSHIP
    away = await client.patch(
        f"/v1/members/{member_id}",
        json={"division_code": "330604001001"},
        headers=await if_match(client, f"/v1/members/{member_id}", official),
    )
    assert away.status_code == 403
    kept = (await client.get(f"/v1/members/{member_id}", headers=official)).json()
    assert kept["division_code"] == TOWNSHIP
