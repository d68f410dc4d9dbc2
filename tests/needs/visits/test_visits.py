"""Home visits by committee members: only where their post serves, not in the future; an
offline batch resent is recorded once; the schedule moves on and areas show what is due."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.business_day import china_today
from canlian.common.events import needs as events
from canlian.testing.services import if_match

from ..conftest import (
    CHENGGUAN,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    appointment,
    deliver,
    new_household,
    outbox_events,
)

pytestmark = pytest.mark.postgres


def visit(household_id: str, client_id: str = "c-1", **extra: Any) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "household_id": household_id,
        "visited_on": china_today().isoformat(),
        "met": "户主及其子女",
        "findings": "两名残疾子女,需康复训练和辅助器具",
        **extra,
    }


@pytest.fixture
async def village_member(needs_app: FastAPI) -> str:
    await deliver(needs_app, [appointment("ap-v1", "member-v1", [VILLAGE])])
    return "member-v1"


async def test_a_visit_moves_the_schedule_on_and_is_announced(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str], village_member: str
) -> None:
    household = await new_household(client, county, disabled=2)
    photos = ["files/2026/visit-1.jpg"]
    response = await client.post(
        "/v1/visits",
        json={"member_id": village_member, **visit(household["id"], photos=photos)},
        headers=county,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["on_schedule"] is True
    assert body["photos"] == photos
    after = await client.get(f"/v1/households/{household['id']}", headers=county)
    assert after.json()["last_visited_on"] == china_today().isoformat()
    assert after.json()["next_visit_due"] == (china_today() + timedelta(days=30)).isoformat()
    recorded = [
        e for e in await outbox_events(needs_app) if e.type == events.HomeVisitRecorded.event_type
    ]
    assert recorded[-1].data["member_id"] == village_member
    assert "康复" not in recorded[-1].model_dump_json()  # findings stay in the service


async def test_a_visit_outside_the_members_area_is_forbidden(
    client: httpx.AsyncClient, county: dict[str, str], village_member: str
) -> None:
    household = await new_household(client, county, village=OTHER_VILLAGE)
    response = await client.post(
        "/v1/visits", json={"member_id": village_member, **visit(household["id"])}, headers=county
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/outside-member-area")
    unknown = await client.post(
        "/v1/visits", json={"member_id": "nobody", **visit(household["id"])}, headers=county
    )
    assert unknown.status_code == 422


async def test_a_township_member_visits_every_village_of_the_township(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    await deliver(needs_app, [appointment("ap-t1", "member-t1", [TOWNSHIP])])
    household = await new_household(client, county, village=OTHER_VILLAGE)
    response = await client.post(
        "/v1/visits", json={"member_id": "member-t1", **visit(household["id"])}, headers=county
    )
    assert response.status_code == 201, response.text


async def test_a_visit_dated_tomorrow_is_refused(
    client: httpx.AsyncClient, county: dict[str, str], village_member: str
) -> None:
    household = await new_household(client, county)
    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    response = await client.post(
        "/v1/visits",
        json={"member_id": village_member, **visit(household["id"], visited_on=tomorrow)},
        headers=county,
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/visit-in-future")


async def test_a_resent_batch_is_recorded_exactly_once(
    client: httpx.AsyncClient, county: dict[str, str], village_member: str
) -> None:
    first = await new_household(client, county, flags=["severe"])
    second = await new_household(client, county, village=OTHER_VILLAGE)
    batch = {
        "member_id": village_member,
        "visits": [visit(first["id"], "c-a"), visit(second["id"], "c-b")],
    }
    sent = await client.post("/v1/visits/batch", json=batch, headers=county)
    assert sent.status_code == 200, sent.text
    result = sent.json()
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (1, 0, 1)
    assert result["results"][1]["reason"]["code"] == "outside-member-area"
    again = await client.post("/v1/visits/batch", json=batch, headers=county)
    replay = again.json()
    assert (replay["accepted"], replay["duplicates"], replay["rejected"]) == (0, 1, 1)
    assert replay["results"][0]["visit_id"] == result["results"][0]["visit_id"]
    listed = await client.get(f"/v1/visits?household_id={first['id']}", headers=county)
    assert len(listed.json()["items"]) == 1
    # The same client id for another visit is refused, not recorded.
    other_day = (china_today() - timedelta(days=1)).isoformat()
    reused = await client.post(
        "/v1/visits/batch",
        json={
            "member_id": village_member,
            "visits": [visit(first["id"], "c-a", visited_on=other_day)],
        },
        headers=county,
    )
    assert reused.json()["results"][0]["reason"]["code"] == "client-id-reused"


async def test_a_batch_retried_with_its_idempotency_key_answers_the_first_answer(
    client: httpx.AsyncClient, county: dict[str, str], village_member: str
) -> None:
    """The batch rule (docs/service-guide.md, "Batch POSTs"): the same key and body answer
    the first answer (not "duplicate") and write nothing more; another body is a 422."""
    household = await new_household(client, county)
    batch = {"member_id": village_member, "visits": [visit(household["id"], "k-a")]}
    keyed = {**county, "Idempotency-Key": "batch-k-1"}
    sent = await client.post("/v1/visits/batch", json=batch, headers=keyed)
    assert sent.status_code == 200, sent.text
    assert sent.json()["accepted"] == 1
    retried = await client.post("/v1/visits/batch", json=batch, headers=keyed)
    assert retried.status_code == 200
    assert retried.json() == sent.json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    listed = await client.get(f"/v1/visits?household_id={household['id']}", headers=county)
    assert len(listed.json()["items"]) == 1
    other = {"member_id": village_member, "visits": [visit(household["id"], "k-b")]}
    refused = await client.post("/v1/visits/batch", json=other, headers=keyed)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/idempotency-key-reused")
    listed = await client.get(f"/v1/visits?household_id={household['id']}", headers=county)
    assert len(listed.json()["items"]) == 1


async def test_visits_due_and_overdue_per_village(
    client: httpx.AsyncClient, county: dict[str, str], village_member: str
) -> None:
    await new_household(client, county, flags=["living_alone"])
    late = await new_household(client, county, flags=["severe"])
    url = f"/v1/households/{late['id']}"
    # Visited long ago: overdue now (a visit 40 days back with a 30-day interval).
    long_ago = (china_today() - timedelta(days=40)).isoformat()
    recorded = await client.post(
        "/v1/visits",
        json={"member_id": village_member, **visit(late["id"], "c-old", visited_on=long_ago)},
        headers=county,
    )
    assert recorded.status_code == 201, recorded.text
    assert (await if_match(client, url, county))["If-Match"]
    report = await client.get(
        f"/v1/reports/visits-due?region={CHENGGUAN}&level=village", headers=county
    )
    assert report.status_code == 200, report.text
    rows = {row["division_code"]: row for row in report.json()["rows"]}
    assert rows[VILLAGE]["scheduled"] >= 2
    assert rows[VILLAGE]["overdue"] >= 1
    overdue = await client.get("/v1/households?visit=overdue", headers=county)
    assert late["id"] in [item["id"] for item in overdue.json()["items"]]
    township = await client.get(
        f"/v1/reports/visits-due?region={CHENGGUAN}&level=township", headers=county
    )
    assert [row["division_code"] for row in township.json()["rows"]] == [TOWNSHIP]
    coarse = await client.get(
        f"/v1/reports/visits-due?region={VILLAGE}&level=county", headers=county
    )
    assert coarse.status_code == 422


async def test_needs_found_on_a_visit_become_the_households_needs(
    client: httpx.AsyncClient, county: dict[str, str], village_member: str
) -> None:
    household = await new_household(client, county, disabled=2)
    found = [
        {"category": "rehabilitation", "description": "大儿子需要康复训练"},
        {"category": "assistive_devices", "description": "小女儿需要轮椅"},
    ]
    response = await client.post(
        "/v1/visits",
        json={"member_id": village_member, **visit(household["id"], "c-n", needs=found)},
        headers=county,
    )
    assert response.status_code == 201, response.text
    need_ids = response.json()["need_ids"]
    assert len(need_ids) == 2
    listed = await client.get(f"/v1/needs?household_id={household['id']}", headers=county)
    assert {item["id"] for item in listed.json()["items"]} == set(need_ids)
    assert {item["channel"] for item in listed.json()["items"]} == {"visit"}


async def test_visits_due_per_committee_member(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    await deliver(
        needs_app,
        [
            appointment("ap-m1", "member-m1", ["620102004001"]),
            appointment("ap-m2", "member-m2", ["620102004000"]),  # its township
        ],
    )
    await new_household(client, county, village="620102004001", flags=["severe"])
    await new_household(client, county, village="620102004002", flags=["living_alone"])
    report = await client.get(
        "/v1/reports/visits-due/by-member?region=620102004000", headers=county
    )
    assert report.status_code == 200, report.text
    rows = {row["member_id"]: row["scheduled"] for row in report.json()["rows"]}
    assert rows == {"member-m1": 1, "member-m2": 2}
