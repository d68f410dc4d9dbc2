"""Lost updates are refused: archive entries and appointments answer their version as an
ETag, and a change or a status transition must name it (If-Match)."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.members.appointments.models import StatusChange
from canlian.testing.services import if_match

from .conftest import SeedOrganisation, appoint, count_rows, register

pytestmark = pytest.mark.postgres


async def test_an_archive_change_needs_the_current_etag_and_answers_the_new_one(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    member_id = await register(client, official, 71)
    url = f"/v1/members/{member_id}"
    read = await client.get(url, headers=official)
    assert read.headers["ETag"] == f'"{read.json()["version"]}"'

    missing = await client.patch(url, json={"in_talent_pool": True}, headers=official)
    assert missing.status_code == 428, missing.text
    assert missing.json()["type"].endswith("/if-match-required")

    stale = await client.patch(
        url, json={"in_talent_pool": True}, headers={**official, "If-Match": '"99"'}
    )
    assert stale.status_code == 412, stale.text
    assert stale.json()["current_etag"] == read.headers["ETag"]
    assert (await client.get(url, headers=official)).json() == read.json()

    changed = await client.patch(
        url, json={"in_talent_pool": True}, headers=await if_match(client, url, official)
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == f'"{changed.json()["version"]}"' != read.headers["ETag"]
    again = await client.patch(
        url, json={"in_talent_pool": False}, headers={**official, "If-Match": read.headers["ETag"]}
    )
    assert again.status_code == 412


async def test_a_transition_needs_the_current_etag(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-etag")
    appointment = await appoint(client, official, 72, "org-etag")
    url = f"/v1/appointments/{appointment['id']}"
    body = {"status": "suspended", "effective_on": "2025-03-01", "reason": "病休"}
    changes = await count_rows(members_app, StatusChange)
    stale = await client.post(
        f"{url}/transitions", json=body, headers={**official, "If-Match": '"0"'}
    )
    assert stale.status_code == 412, stale.text
    missing = await client.post(f"{url}/transitions", json=body, headers=official)
    assert missing.status_code == 428
    assert await count_rows(members_app, StatusChange) == changes
    assert (await client.get(url, headers=official)).json()["status"] == appointment["status"]

    moved = await client.post(
        f"{url}/transitions", json=body, headers=await if_match(client, url, official)
    )
    assert moved.status_code == 200, moved.text
    assert moved.headers["ETag"] == f'"{moved.json()["version"]}"'
    assert (await client.get(url, headers=official)).headers["ETag"] == moved.headers["ETag"]
