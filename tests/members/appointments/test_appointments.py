"""Appointments over HTTP on a real PostgreSQL: usable organisations, single seats, the status
state machine, idempotent creation, the events, contract and pay changes."""

import uuid

import httpx
import pytest
from fastapi import FastAPI

from canlian.members.appointments.models import Appointment, StatusChange
from canlian.testing.services import if_match

from ..conftest import (
    TOWNSHIP,
    SeedOrganisation,
    all_pages,
    appoint,
    appointment_body,
    count_rows,
    outbox_envelopes,
    register,
)

pytestmark = pytest.mark.postgres


async def test_appointment_to_unknown_or_dissolved_organisation_is_refused(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    member_id = await register(client, official, sequence=12)
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
    assert await count_rows(members_app, Appointment) == 0


async def test_contract_end_before_start_and_negative_allowance_are_refused(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1")
    member_id = await register(client, official, sequence=13)
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
    assert await count_rows(members_app, Appointment) == 0
    assert await count_rows(members_app, StatusChange) == 0


async def test_single_seat_post_takes_one_holder_until_they_leave(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-v1")
    first = await register(client, official, sequence=14)
    second = await register(client, official, sequence=15)
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
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
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
    member_id = await register(client, official, sequence=16)
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
            headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
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
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
    )
    assert back.status_code == 409
    assert "解聘" in back.json()["detail"]
    types = [event["type"].rsplit(".", 1)[-1] for event in await outbox_envelopes(members_app)]
    assert types[-5:] == ["appointed", "changed", "changed", "changed", "left"]
    left = (await outbox_envelopes(members_app))[-1]["data"]
    assert left["holds_post"] is False
    assert left["version"] == 5


async def test_transition_dates_cannot_go_backwards(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-v1")
    member_id = await register(client, official, sequence=17)
    created = await client.post(
        f"/v1/members/{member_id}/appointments", json=appointment_body("org-v1"), headers=official
    )
    response = await client.post(
        f"/v1/appointments/{created.json()['id']}/transitions",
        json={"status": "suspended", "effective_on": "2024-01-01", "reason": "病休"},
        headers=await if_match(client, f"/v1/appointments/{created.json()['id']}", official),
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
    member_id = await register(client, official, sequence=18)
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
    assert await count_rows(members_app, Appointment) == 1


async def test_events_carry_the_snapshot_indicators_need(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-t1", kind="federation", level=4, division_code=TOWNSHIP)
    member_id = await register(client, official, sequence=19, division_code=TOWNSHIP)
    await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("org-t1", public_welfare_post=True, social_insurance_subsidy=True),
        headers=official,
    )
    event = (await outbox_envelopes(members_app))[-1]
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


async def test_domain_problems_speak_english_when_asked(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    member_id = await register(client, official, 63)
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
    member_id = await register(client, official, 64)
    created = await client.post(
        f"/v1/members/{member_id}/appointments", json=appointment_body("org-v1"), headers=official
    )
    appointment_id = created.json()["id"]
    renewed = await client.patch(
        f"/v1/appointments/{appointment_id}",
        json={"contract_end": "2030-12-31", "monthly_allowance_yuan": None},
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
    )
    assert renewed.status_code == 200
    assert renewed.json()["contract_end"] == "2030-12-31"
    assert renewed.json()["monthly_allowance_yuan"] == "100.00"  # null means "keep"
    assert renewed.json()["version"] == 2
    backwards = await client.patch(
        f"/v1/appointments/{appointment_id}",
        json={"contract_end": "2024-12-31"},
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
    )
    assert backwards.status_code == 422
    open_ended = await client.patch(
        f"/v1/appointments/{appointment_id}",
        json={"contract_end": None},
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
    )
    assert open_ended.json()["contract_end"] is None
    assert open_ended.json()["version"] == 3
    await client.post(
        f"/v1/appointments/{appointment_id}/transitions",
        json={"status": "resigned", "effective_on": "2025-06-30", "reason": "本人辞职"},
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
    )
    ended = await client.patch(
        f"/v1/appointments/{appointment_id}",
        json={"monthly_allowance_yuan": "200"},
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", official),
    )
    assert ended.status_code == 409
    assert ended.json()["type"].endswith("/appointment-ended")


async def test_contracts_ending_within_n_days(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    for number, end in enumerate(("2026-01-10", "2026-02-20", "2026-06-30"), start=1):
        await seed_organisation(f"org-{number}", division_code=f"62010200100{number}")
        await appoint(
            client,
            official,
            10 + number,
            f"org-{number}",
            contract_end=end,
            division_code=f"62010200100{number}",
        )
    ending = await all_pages(
        client, "/v1/reports/contracts-ending", official, as_of="2026-01-01", within_days="60"
    )
    assert [item["contract_end"] for item in ending] == ["2026-01-10", "2026-02-20"]
    overdue = await all_pages(
        client,
        "/v1/reports/contracts-ending",
        official,
        as_of="2026-03-01",
        within_days="0",
        include_overdue="true",
    )
    assert [item["contract_end"] for item in overdue] == ["2026-01-10", "2026-02-20"]
