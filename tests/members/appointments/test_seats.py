"""Seats as seed 003 sets them, over HTTP on a real PostgreSQL: one committee member per
township (乡/镇) and village, up to five per street office (街道), a liaison officer (联络员)
per village; the seat after the last is a 409 naming the policy and its value."""

import httpx
from fastapi import FastAPI

from canlian.common import policy
from canlian.members.models import Appointment

from ..conftest import SeedOrganisation, appoint, appointment_body, count_rows, register

STREET = "620102001000"  # segment 001-099: a street office
TOWN = "620102101000"  # segment 100-199: a town (镇)
VILLAGE = "620102101201"


async def test_a_street_takes_five_committee_members_and_refuses_the_sixth(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("street-fed", division_code=STREET, level=4)
    held = [await appoint(client, official, 40 + n, "street-fed") for n in range(5)]
    sixth = await register(client, official, sequence=46)
    refused = await client.post(
        f"/v1/members/{sixth}/appointments",
        json=appointment_body("street-fed"),
        headers={**official, "Accept-Language": "en"},
    )
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/seats-filled")
    assert problem["policy"] == policy.SEATS_PER_STREET.name
    assert problem["policy_value"] == 5
    assert "5 seats" in problem["detail"]
    zh = await client.post(
        f"/v1/members/{sixth}/appointments", json=appointment_body("street-fed"), headers=official
    )
    assert "名额" in zh.json()["title"]
    assert "5 名" in zh.json()["detail"]
    assert await count_rows(members_app, Appointment) == 5

    # One leaves (能进能出): the freed seat is taken again.
    leaving = held[2]["id"]
    etag = (await client.get(f"/v1/appointments/{leaving}", headers=official)).headers["ETag"]
    left = await client.post(
        f"/v1/appointments/{leaving}/transitions",
        json={"status": "resigned", "effective_on": "2025-09-30", "reason": "本人辞职"},
        headers={**official, "If-Match": etag},
    )
    assert left.status_code == 200, left.text
    again = await client.post(
        f"/v1/members/{sixth}/appointments", json=appointment_body("street-fed"), headers=official
    )
    assert again.status_code == 201, again.text


async def test_a_town_and_a_village_keep_one_committee_member_and_one_liaison_officer(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
) -> None:
    await seed_organisation("town-fed", division_code=TOWN, level=4)
    await seed_organisation("village-assoc", division_code=VILLAGE)
    first = await appoint(client, official, 51, "town-fed")
    second = await register(client, official, sequence=52)
    taken = await client.post(
        f"/v1/members/{second}/appointments", json=appointment_body("town-fed"), headers=official
    )
    assert taken.status_code == 409
    assert taken.json()["holder_appointment_id"] == first["id"]

    liaison = await appoint(client, official, 53, "village-assoc", post="liaison_officer")
    assert liaison["post"] == "liaison_officer"
    member = await appoint(client, official, 54, "village-assoc")  # a post of its own
    assert member["post"] == "committee_member"
    another = await register(client, official, sequence=55)
    refused = await client.post(
        f"/v1/members/{another}/appointments",
        json=appointment_body("village-assoc", post="liaison_officer"),
        headers=official,
    )
    assert refused.status_code == 409
    assert refused.json()["holder_appointment_id"] == liaison["id"]
