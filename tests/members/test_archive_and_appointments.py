"""The real-name archive and appointments over HTTP on a real PostgreSQL."""

import json
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.members.models import Appointment, Member, StatusChange
from canlian.testing.services import bearer, runtime_of

from .conftest import (
    COUNTY,
    TOWNSHIP,
    VILLAGE,
    SeedOrganisation,
    appointment_body,
    make_citizen_id,
    member_body,
)

pytestmark = pytest.mark.postgres


async def _count(app: FastAPI, model: type[object]) -> int:
    async with runtime_of(app).database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _outbox(app: FastAPI) -> list[dict[str, Any]]:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        rows = await session.scalars(
            select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
        )
        return [json.loads(row) for row in rows]


async def _register(
    client: httpx.AsyncClient, headers: dict[str, str], sequence: int, **body: object
) -> int:
    response = await client.post("/v1/members", json=member_body(sequence, **body), headers=headers)
    assert response.status_code == 201, response.text
    member_id: int = response.json()["id"]
    return member_id


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
    events = await _outbox(members_app)
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
    assert await _count(members_app, Member) == 0


async def test_a_person_is_registered_once(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    first = await _register(client, official, sequence=5)
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
    member_id = await _register(client, official, sequence=10)
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
    member_id = await _register(client, official, sequence=11)
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


async def test_appointment_to_unknown_or_dissolved_organisation_is_refused(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    member_id = await _register(client, official, sequence=12)
    unknown = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-nowhere"),
        headers=official,
    )
    assert unknown.status_code == 422
    assert unknown.json()["type"].endswith("/unknown-organisation")
    assert "org-nowhere" in unknown.json()["detail"]
    await seed_organisation("org-gone", dissolved=True)
    dissolved = await client.post(
        f"/v1/members/{member_id}/appointments", json=appointment_body("org-gone"), headers=official
    )
    assert dissolved.status_code == 422
    assert dissolved.json()["type"].endswith("/organisation-dissolved")
    assert await _count(members_app, Appointment) == 0


async def test_contract_end_before_start_and_negative_allowance_are_refused(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1")
    member_id = await _register(client, official, sequence=13)
    backwards = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-v1", contract_start="2025-06-01", contract_end="2025-01-01"),
        headers=official,
    )
    assert backwards.status_code == 422
    assert "早于" in backwards.json()["detail"]
    negative = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-v1", monthly_allowance_yuan="-5"),
        headers={**official, "Accept-Language": "en"},
    )
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "body.monthly_allowance_yuan"
    assert "at least 0" in negative.json()["errors"][0]["message"]
    assert await _count(members_app, Appointment) == 0
    assert await _count(members_app, StatusChange) == 0


async def test_single_seat_post_takes_one_holder_until_they_leave(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1")
    first = await _register(client, official, sequence=14)
    second = await _register(client, official, sequence=15)
    appointed = await client.post(
        f"/v1/members/{first}/appointments", json=appointment_body("org-v1"), headers=official
    )
    assert appointed.status_code == 201
    appointment_id = appointed.json()["id"]
    taken = await client.post(
        f"/v1/members/{second}/appointments", json=appointment_body("org-v1"), headers=official
    )
    assert taken.status_code == 409
    assert taken.json()["holder_appointment_id"] == appointment_id
    # Posts with several seats take several people.
    staff = await client.post(
        f"/v1/members/{second}/appointments",
        json=appointment_body("org-v1", post="vice_chair"),
        headers=official,
    )
    assert staff.status_code == 201

    left = await client.post(
        f"/v1/appointments/{appointment_id}/transitions",
        json={"status": "resigned", "effective_on": "2025-09-30", "reason": "本人辞职"},
        headers=official,
    )
    assert left.status_code == 200
    retry = await client.post(
        f"/v1/members/{second}/appointments", json=appointment_body("org-v1"), headers=official
    )
    assert retry.status_code == 201


async def test_status_transitions_keep_history_and_refuse_impossible_moves(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1")
    member_id = await _register(client, official, sequence=16)
    created = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-v1", status="appointed"),
        headers=official,
    )
    appointment_id = created.json()["id"]
    steps = [
        ("active", "2025-02-01", "到岗"),
        ("suspended", "2025-05-01", "病休"),
        ("active", "2025-08-01", "复岗"),
        ("dismissed", "2025-12-01", "考核不称职"),
    ]
    for status, on, reason in steps:
        response = await client.post(
            f"/v1/appointments/{appointment_id}/transitions",
            json={"status": status, "effective_on": on, "reason": reason},
            headers=official,
        )
        assert response.status_code == 200, response.text
    detail = (await client.get(f"/v1/appointments/{appointment_id}", headers=official)).json()
    assert [change["to_status"] for change in detail["history"]] == [
        "appointed",
        "active",
        "suspended",
        "active",
        "dismissed",
    ]
    assert detail["history"][-1]["reason"] == "考核不称职"
    assert detail["version"] == 5
    assert detail["updated_by"] == "clerk"
    back = await client.post(
        f"/v1/appointments/{appointment_id}/transitions",
        json={"status": "active", "effective_on": "2026-01-01", "reason": "返聘"},
        headers=official,
    )
    assert back.status_code == 409
    assert "解聘" in back.json()["detail"]
    types = [event["type"].rsplit(".", 1)[-1] for event in await _outbox(members_app)]
    assert types[-5:] == ["appointed", "changed", "changed", "changed", "left"]
    left = (await _outbox(members_app))[-1]["data"]
    assert left["holds_post"] is False
    assert left["version"] == 5


async def test_transition_dates_cannot_go_backwards(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-v1")
    member_id = await _register(client, official, sequence=17)
    created = await client.post(
        f"/v1/members/{member_id}/appointments", json=appointment_body("org-v1"), headers=official
    )
    response = await client.post(
        f"/v1/appointments/{created.json()['id']}/transitions",
        json={"status": "suspended", "effective_on": "2024-01-01", "reason": "病休"},
        headers=official,
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/effective-date-too-early")


async def test_idempotent_retry_creates_one_appointment(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1")
    member_id = await _register(client, official, sequence=18)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-v1"),
        headers={**official, **key},
    )
    second = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-v1"),
        headers={**official, **key},
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert await _count(members_app, Appointment) == 1


async def test_events_carry_the_snapshot_indicators_need(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-t1", kind="federation", level=4, division_code=TOWNSHIP)
    member_id = await _register(client, official, sequence=19, division_code=TOWNSHIP)
    await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-t1", public_welfare_post=True, social_insurance_subsidy=True),
        headers=official,
    )
    event = (await _outbox(members_app))[-1]
    assert event["type"] == "cn.canlian.members.appointment.appointed"
    data = event["data"]
    assert data["division_code"] == TOWNSHIP
    assert data["post_level"] == "township"
    assert data["public_welfare_post"] is True
    assert data["social_insurance_subsidy"] is True
    assert data["member_disability_relation"] == "disabled"
    assert data["member_disability_category"] == 4
    assert data["status"] == "active"
    assert data["holds_post"] is True
    assert data["version"] == 1
    assert set(data) >= {"appointment_id", "member_id", "organisation_id", "allowance_compliant"}


async def test_profile_change_is_versioned_and_republished_on_held_posts(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1", division_code=VILLAGE)
    member_id = await _register(client, official, sequence=20)
    await client.post(
        f"/v1/members/{member_id}/appointments", json=appointment_body("org-v1"), headers=official
    )
    response = await client.patch(
        f"/v1/members/{member_id}",
        json={"in_talent_pool": True, "disability_relation": "relative"},
        headers=official,
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["disability_category"] is None
    events = await _outbox(members_app)
    assert [event["type"].rsplit(".", 1)[-1] for event in events[-2:]] == ["changed", "changed"]
    assert events[-1]["data"]["member_disability_relation"] == "relative"
    assert events[-1]["data"]["version"] == 2


async def test_lookup_by_citizen_id_within_scope_only(
    client: httpx.AsyncClient, official: dict[str, str], postgres_settings: PlatformSettings
) -> None:
    member_id = await _register(client, official, 61)
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


async def test_domain_problems_speak_english_when_asked(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    member_id = await _register(client, official, 63)
    response = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-nowhere"),
        headers={**official, "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Unknown organisation"
    assert "register it first" in response.json()["detail"]


async def test_contract_renewal_and_pay_changes_are_checked_and_versioned(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1")
    member_id = await _register(client, official, 64)
    created = await client.post(
        f"/v1/members/{member_id}/appointments", json=appointment_body("org-v1"), headers=official
    )
    appointment_id = created.json()["id"]
    renewed = await client.patch(
        f"/v1/appointments/{appointment_id}",
        json={"contract_end": "2030-12-31", "monthly_allowance_yuan": None},
        headers=official,
    )
    assert renewed.status_code == 200
    assert renewed.json()["contract_end"] == "2030-12-31"
    assert renewed.json()["monthly_allowance_yuan"] == "100.00"  # null means "keep"
    assert renewed.json()["version"] == 2
    backwards = await client.patch(
        f"/v1/appointments/{appointment_id}",
        json={"contract_end": "2024-12-31"},
        headers=official,
    )
    assert backwards.status_code == 422
    open_ended = await client.patch(
        f"/v1/appointments/{appointment_id}", json={"contract_end": None}, headers=official
    )
    assert open_ended.json()["contract_end"] is None
    assert open_ended.json()["version"] == 3
    await client.post(
        f"/v1/appointments/{appointment_id}/transitions",
        json={"status": "resigned", "effective_on": "2025-06-30", "reason": "本人辞职"},
        headers=official,
    )
    ended = await client.patch(
        f"/v1/appointments/{appointment_id}",
        json={"monthly_allowance_yuan": "200"},
        headers=official,
    )
    assert ended.status_code == 409
    assert ended.json()["type"].endswith("/appointment-ended")


async def test_an_archive_entry_moves_within_scope_only(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    member_id = await _register(client, official, 65)
    moved = await client.patch(
        f"/v1/members/{member_id}", json={"division_code": TOWNSHIP}, headers=official
    )
    assert moved.status_code == 200
    assert moved.json()["division_code"] == TOWNSHIP
    assert (await _outbox(members_app))[-1]["data"]["division_code"] == TOWNSHIP
    away = await client.patch(
        f"/v1/members/{member_id}", json={"division_code": "330604001001"}, headers=official
    )
    assert away.status_code == 403
    kept = (await client.get(f"/v1/members/{member_id}", headers=official)).json()
    assert kept["division_code"] == TOWNSHIP
