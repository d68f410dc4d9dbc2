"""Household files: registered in a village of the caller's region, masked on reading,
encrypted at rest, changed against the version read; flags set the visit schedule."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.common.events import needs as events
from canlian.needs.settings import NeedsSettings
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import (
    CHENGGUAN,
    QILIHE_VILLAGE,
    TOWNSHIP,
    household_body,
    new_household,
    outbox_events,
)

pytestmark = pytest.mark.postgres


async def test_two_disabled_members_make_a_multiple_disabled_household_visited_monthly(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county, disabled=2)
    assert household["flags"] == ["multiple_disabled"]
    assert household["declared_flags"] == []
    assert household["visit_interval_days"] == 30
    assert household["next_visit_due"] == (china_today() + timedelta(days=30)).isoformat()
    assert household["address"] == "甘肃省兰州市****"
    assert "建国" not in str(household["members"])
    assert [m["person_id"] for m in household["members"]] == [None, "p0", "p1"]


async def test_living_alone_sets_the_shortest_interval_and_no_flag_no_schedule(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    alone = await new_household(client, county, flags=["living_alone", "severe"])
    assert alone["visit_interval_days"] == 15
    plain = await new_household(client, county)
    assert plain["flags"] == []
    assert plain["next_visit_due"] is None


async def test_address_and_names_are_encrypted_and_absent_from_events(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county, disabled=2)
    async with runtime_of(needs_app).database.session() as session:
        stored = await session.scalar(
            text("SELECT address_ciphertext FROM needs.households WHERE id = :id"),
            {"id": household["id"]},
        )
    assert stored is not None
    assert "幸福巷" not in stored
    published = [e for e in await outbox_events(needs_app) if e.subject == household["id"]]
    assert [e.type for e in published] == [events.HouseholdRegistered.event_type]
    assert "幸福巷" not in published[0].model_dump_json()
    assert "张" not in published[0].model_dump_json()
    assert published[0].data["disabled_person_ids"] == ["p0", "p1"]


async def test_region_is_checked_first_and_other_counties_see_nothing(
    client: httpx.AsyncClient, county: dict[str, str], other_county: dict[str, str]
) -> None:
    outside = await client.post(
        "/v1/households", json=household_body(village=QILIHE_VILLAGE), headers=county
    )
    assert outside.status_code == 403
    assert outside.json()["type"].endswith("/region-outside-scope")
    township = await client.post(
        "/v1/households", json=household_body(village=TOWNSHIP), headers=county
    )
    assert township.status_code == 422
    assert township.json()["type"].endswith("/household-not-in-village")
    household = await new_household(client, county)
    url = f"/v1/households/{household['id']}"
    assert (await client.get(url, headers=other_county)).status_code == 404
    listed = await client.get("/v1/households", headers=other_county)
    assert listed.json()["items"] == []


async def test_changes_need_the_version_read(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    url = f"/v1/households/{household['id']}"
    missing = await client.patch(url, json={"flags": ["severe"]}, headers=county)
    assert missing.status_code == 428
    headers = await if_match(client, url, county)
    changed = await client.patch(url, json={"flags": ["severe"]}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["visit_interval_days"] == 30
    assert changed.headers["ETag"] != headers["If-Match"]
    stale = await client.patch(url, json={"flags": []}, headers=headers)
    assert stale.status_code == 412


async def test_a_second_disabled_member_and_service_statuses(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    url = f"/v1/households/{household['id']}"
    added = await client.post(
        f"{url}/members",
        json={
            "name": "张奶奶",
            "relation": "parent",
            "elderly": True,
            "disabled": True,
            "person_id": "p9",
        },
        headers=await if_match(client, url, county),
    )
    assert added.status_code == 200, added.text
    assert added.json()["flags"] == ["elderly_disabled", "multiple_disabled"]
    again = await client.post(
        f"{url}/members",
        json={"name": "张奶奶", "relation": "parent", "disabled": True, "person_id": "p9"},
        headers=await if_match(client, url, county),
    )
    assert again.status_code == 409
    member_id = added.json()["members"][1]["id"]
    service = await client.put(
        f"{url}/members/{member_id}/services/rehabilitation",
        json={"status": "receiving", "since": "2026-01-05", "source": "县康复中心"},
        headers=await if_match(client, url, county),
    )
    assert service.status_code == 200, service.text
    assert service.json()["members"][1]["services"] == [
        {
            "kind": "rehabilitation",
            "status": "receiving",
            "since": "2026-01-05",
            "until": None,
            "source": "县康复中心",
        }
    ]
    backwards = await client.put(
        f"{url}/members/{member_id}/services/care",
        json={
            "status": "receiving",
            "since": "2026-02-01",
            "until": "2026-01-01",
            "source": "访视",
        },
        headers=await if_match(client, url, county),
    )
    assert backwards.status_code == 422


async def test_lists_filter_by_flag_and_page(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    for _ in range(3):
        await new_household(client, county, flags=["severe"])
    await new_household(client, county)
    severe = await client.get("/v1/households?flag=severe&limit=2", headers=county)
    assert severe.status_code == 200, severe.text
    page = severe.json()
    assert len(page["items"]) == 2
    rest = await client.get(
        f"/v1/households?flag=severe&limit=2&cursor={page['next_cursor']}", headers=county
    )
    assert len(rest.json()["items"]) == 1
    assert all(item["flags"] == ["severe"] for item in page["items"] + rest.json()["items"])
    overdue = await client.get("/v1/households?visit=overdue", headers=county)
    assert overdue.json()["items"] == []
    due = await client.get("/v1/households?visit=due", headers=county)
    assert due.json()["items"] == []


async def test_the_unmasked_file_needs_the_scope_and_is_audited(
    needs_app: FastAPI,
    client: httpx.AsyncClient,
    county: dict[str, str],
    needs_settings: NeedsSettings,
) -> None:
    household = await new_household(client, county)
    url = f"/v1/households/{household['id']}/contact"
    assert (await client.get(url, headers=county)).status_code == 403
    reader = bearer(
        needs_settings, roles=[auth.OFFICIAL], region=CHENGGUAN, scopes=[auth.PERSONAL_DATA_READ]
    )
    response = await client.get(url, headers={**reader, "X-Access-Reason": "home visit check"})
    assert response.status_code == 200, response.text
    assert response.json()["address"] == "甘肃省兰州市城关区某街道幸福巷12号"
    assert response.json()["members"][0]["name"] == "张建国"
    async with runtime_of(needs_app).database.session() as session:
        audited = await session.scalar(
            text("SELECT count(*) FROM needs.audit_log WHERE object_id = :id"),
            {"id": household["id"]},
        )
    assert audited == 1
