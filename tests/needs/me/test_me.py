"""A committee member's own app (`/v1/me/...`, role committee-member): the member is the
token's subject, never a body field; only the households of the places their held posts
serve; nothing at all once they resign. Officials still record on a member's behalf, and
the visit says who recorded it."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.needs.settings import NeedsSettings
from canlian.testing.services import bearer, runtime_of

from ..conftest import (
    CHENGGUAN,
    OTHER_VILLAGE,
    QILIHE_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    appointment,
    deliver,
    new_household,
)

pytestmark = pytest.mark.postgres

MEMBER = "member-me1"


def visit(household_id: str, client_id: str = "m-1", **extra: Any) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "household_id": household_id,
        "visited_on": china_today().isoformat(),
        "met": "户主",
        "findings": "生活基本稳定,需定期随访",
        **extra,
    }


def member_token(settings: NeedsSettings, subject: str = MEMBER, region: str = CHENGGUAN) -> Any:
    return bearer(settings, roles=[auth.COMMITTEE_MEMBER], region=region, subject=subject)


@pytest.fixture
async def member(
    needs_app: FastAPI, client: httpx.AsyncClient, needs_settings: NeedsSettings
) -> dict[str, str]:
    """A village committee member of 城关区 with their own token (county-wide region)."""
    await deliver(needs_app, [appointment("ap-me1", MEMBER, [VILLAGE])])
    return dict(member_token(needs_settings))


async def test_a_member_records_their_own_visit(
    client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    household = await new_household(client, county)
    response = await client.post("/v1/me/visits", json=visit(household["id"]), headers=member)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["member_id"], body["recorded_by"]) == (MEMBER, MEMBER)
    assert response.headers["Location"] == f"/v1/me/visits/{body['id']}"
    again = await client.get(response.headers["Location"], headers=member)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == body["id"]
    mine = await client.get("/v1/me/visits", headers=member)
    assert [item["id"] for item in mine.json()["items"]] == [body["id"]]
    # The household's schedule moved on, as for a visit an official records.
    after = await client.get(f"/v1/households/{household['id']}", headers=county)
    assert after.json()["last_visited_on"] == china_today().isoformat()


async def test_a_member_cannot_name_another_member(
    client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    household = await new_household(client, county)
    body = {"member_id": "member-someone-else", **visit(household["id"])}
    response = await client.post("/v1/me/visits", json=body, headers=member)
    assert response.status_code == 422, response.text
    batch = {"member_id": "member-someone-else", "visits": [visit(household["id"])]}
    refused = await client.post("/v1/me/visits/batch", json=batch, headers=member)
    assert refused.status_code == 422, refused.text


async def test_a_household_outside_the_members_area_is_forbidden(
    client: httpx.AsyncClient,
    county: dict[str, str],
    other_county: dict[str, str],
    member: dict[str, str],
) -> None:
    neighbours = await new_household(client, county, village=OTHER_VILLAGE)
    response = await client.post("/v1/me/visits", json=visit(neighbours["id"]), headers=member)
    assert response.status_code == 403, response.text
    assert response.json()["type"].endswith("/outside-member-area")
    # Outside the token's region it looks absent, as for an official.
    elsewhere = await new_household(client, other_county, village=QILIHE_VILLAGE)
    absent = await client.post("/v1/me/visits", json=visit(elsewhere["id"]), headers=member)
    assert absent.status_code == 404, absent.text


async def test_another_members_visit_looks_absent(
    needs_app: FastAPI,
    client: httpx.AsyncClient,
    county: dict[str, str],
    needs_settings: NeedsSettings,
    member: dict[str, str],
) -> None:
    await deliver(needs_app, [appointment("ap-me2", "member-me2", [VILLAGE])])
    household = await new_household(client, county)
    theirs = member_token(needs_settings, subject="member-me2")
    recorded = await client.post("/v1/me/visits", json=visit(household["id"]), headers=theirs)
    assert recorded.status_code == 201, recorded.text
    peek = await client.get(f"/v1/me/visits/{recorded.json()['id']}", headers=member)
    assert peek.status_code == 404
    assert (await client.get("/v1/me/visits", headers=member)).json()["items"] == []


async def test_a_resigned_member_is_refused_everywhere(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    household = await new_household(client, county)
    resigned = appointment("ap-me1", MEMBER, [VILLAGE], version=2, holds_post=False)
    await deliver(needs_app, [resigned])
    attempts = [
        await client.post("/v1/me/visits", json=visit(household["id"]), headers=member),
        await client.post(
            "/v1/me/visits/batch", json={"visits": [visit(household["id"])]}, headers=member
        ),
        await client.get("/v1/me/households", headers=member),
        await client.get("/v1/me/visits-due", headers=member),
        await client.get("/v1/me/visits", headers=member),
    ]
    assert [r.status_code for r in attempts] == [403] * 5
    assert {r.json()["type"].rsplit("/", 1)[-1] for r in attempts} == {"no-committee-post"}
    after = await client.get(f"/v1/households/{household['id']}", headers=county)
    assert after.json()["last_visited_on"] is None


async def test_a_resent_offline_batch_is_recorded_once(
    client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    mine = await new_household(client, county)
    theirs = await new_household(client, county, village=OTHER_VILLAGE)
    batch = {"visits": [visit(mine["id"], "b-1"), visit(theirs["id"], "b-2")]}
    sent = await client.post("/v1/me/visits/batch", json=batch, headers=member)
    assert sent.status_code == 200, sent.text
    outcomes = {r["client_id"]: r for r in sent.json()["results"]}
    assert outcomes["b-1"]["outcome"] == "accepted"
    assert outcomes["b-2"]["outcome"] == "rejected"
    assert outcomes["b-2"]["reason"]["code"] == "outside-member-area"
    again = await client.post("/v1/me/visits/batch", json=batch, headers=member)
    assert again.json()["duplicates"] == 1
    assert again.json()["accepted"] == 0
    recorded = await client.get("/v1/me/visits", headers=member)
    assert len(recorded.json()["items"]) == 1


async def test_the_members_households_are_their_area_only_masked_and_paged(
    client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    ours = [(await new_household(client, county))["id"] for _ in range(3)]
    await new_household(client, county, village=OTHER_VILLAGE)
    first = await client.get("/v1/me/households?limit=2", headers=member)
    assert first.status_code == 200, first.text
    page = first.json()
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    rest = await client.get(
        "/v1/me/households", params={"limit": 2, "cursor": page["next_cursor"]}, headers=member
    )
    listed = [item["id"] for item in page["items"] + rest.json()["items"]]
    assert sorted(listed) == sorted(ours)
    assert rest.json()["next_cursor"] is None
    text = first.text + rest.text
    assert "张建国" not in text
    assert "幸福巷" not in text
    assert all(item["division_code"] == VILLAGE for item in page["items"])


async def test_the_members_visits_due(
    client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    await new_household(client, county, flags=["living_alone"])
    late = await new_household(client, county, flags=["severe"])
    await new_household(client, county, village=OTHER_VILLAGE, flags=["severe"])
    long_ago = (china_today() - timedelta(days=40)).isoformat()
    old = visit(late["id"], "m-old", visited_on=long_ago)
    assert (await client.post("/v1/me/visits", json=old, headers=member)).status_code == 201
    report = await client.get("/v1/me/visits-due", headers=member)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["served_divisions"] == [VILLAGE]
    assert (body["scheduled"], body["overdue"]) == (2, 1)
    assert [row["division_code"] for row in body["rows"]] == [VILLAGE]
    overdue = await client.get("/v1/me/households?visit=overdue", headers=member)
    assert [item["id"] for item in overdue.json()["items"]] == [late["id"]]


async def test_a_township_member_counts_each_household_once(
    needs_app: FastAPI,
    client: httpx.AsyncClient,
    county: dict[str, str],
    needs_settings: NeedsSettings,
) -> None:
    await deliver(needs_app, [appointment("ap-t1", "member-t1", [TOWNSHIP, VILLAGE])])
    await new_household(client, county, flags=["severe"])
    await new_household(client, county, village=OTHER_VILLAGE, flags=["severe"])
    token = member_token(needs_settings, subject="member-t1")
    body = (await client.get("/v1/me/visits-due", headers=token)).json()
    assert body["scheduled"] == 2
    assert {row["division_code"]: row["scheduled"] for row in body["rows"]} == {
        TOWNSHIP: 2,
        VILLAGE: 1,
    }


async def _audited_for_member(app: FastAPI) -> list[tuple[str, str, str]]:
    runtime = runtime_of(app)
    table = runtime.tables.audit_log
    async with runtime.database.session() as session:
        rows = await session.execute(
            select(table.c.actor, table.c.object_id, table.c.reason).where(
                table.c.action == "visit.recorded-for-member"
            )
        )
        return [(row.actor, row.object_id, row.reason) for row in rows]


async def test_an_official_recording_for_a_member_is_named_beside_them(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    household = await new_household(client, county)
    body = {"member_id": MEMBER, **visit(household["id"], "o-1")}
    response = await client.post("/v1/visits", json=body, headers=county)
    assert response.status_code == 201, response.text
    assert (response.json()["member_id"], response.json()["recorded_by"]) == (MEMBER, "clerk-cg")
    # A resend records nothing and audits nothing again; a batch audits what it accepted.
    assert (await client.post("/v1/visits", json=body, headers=county)).status_code == 201
    batch = {"member_id": MEMBER, "visits": [visit(household["id"], "o-2")]}
    sent = await client.post("/v1/visits/batch", json=batch, headers=county)
    batched = sent.json()["results"][0]["visit_id"]
    assert sorted(await _audited_for_member(needs_app)) == sorted(
        [
            ("clerk-cg", response.json()["id"], f"member_id={MEMBER}"),
            ("clerk-cg", batched, f"member_id={MEMBER}"),
        ]
    )
    # The member's own visits are not "for a member": no such row.
    mine_recorded = await client.post("/v1/me/visits", json=visit(household["id"]), headers=member)
    assert mine_recorded.status_code == 201
    assert len(await _audited_for_member(needs_app)) == 2
    # The member sees it among their visits, recorded by the official.
    mine = (await client.get("/v1/me/visits", headers=member)).json()["items"]
    recorded_by = {item["id"]: item["recorded_by"] for item in mine}
    assert recorded_by[response.json()["id"]] == "clerk-cg"
    assert recorded_by[mine_recorded.json()["id"]] == MEMBER


async def test_the_roles_do_not_cross(
    client: httpx.AsyncClient, county: dict[str, str], member: dict[str, str]
) -> None:
    household = await new_household(client, county)
    as_official = await client.post(
        "/v1/visits", json={"member_id": MEMBER, **visit(household["id"])}, headers=member
    )
    assert as_official.status_code == 403
    assert as_official.json()["type"].endswith("/missing-role")
    for path in ("/v1/households", "/v1/visits", f"/v1/households/{household['id']}"):
        refused = await client.get(path, headers=member)
        assert refused.status_code == 403, path
    official_on_me = await client.get("/v1/me/households", headers=county)
    assert official_on_me.status_code == 403
    assert official_on_me.json()["type"].endswith("/missing-role")
