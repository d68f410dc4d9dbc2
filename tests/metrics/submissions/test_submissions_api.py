"""Submission and approval level by level, on PostgreSQL: a county submits, the city returns
it, the county resubmits, the city accepts, the province sees every county's status, and the
locked figures stay put when late events arrive."""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import OrganisationStatus
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import (
    CHENGGUAN,
    COVERAGE,
    GANSU,
    LANZHOU,
    QILIHE,
    Apply,
    by_indicator,
    create_plan,
    envelope,
    organisation,
)

pytestmark = pytest.mark.postgres

HEADER = {
    "form_number": "残联规划统计1表",
    "issuing_authority": "甘肃省残疾人联合会",
    "reporting_unit": "城关区残疾人联合会",
    "unit_head": "王主任",
    "statistics_head": "李统计",
    "preparer": "张填表",
}


def official_of(settings: PlatformSettings, region: str, subject: str) -> dict[str, str]:
    return bearer(settings, roles=[auth.OFFICIAL], region=region, subject=subject)


@pytest.fixture
def county(postgres_settings: PlatformSettings) -> dict[str, str]:
    return official_of(postgres_settings, CHENGGUAN, "chengguan-stats")


@pytest.fixture
def city(postgres_settings: PlatformSettings) -> dict[str, str]:
    return official_of(postgres_settings, LANZHOU, "lanzhou-stats")


async def submit(
    client: httpx.AsyncClient, headers: dict[str, str], **extra: Any
) -> httpx.Response:
    body = {"region": CHENGGUAN, "year": 2014, "note": "2014 年度数据", "header": HEADER}
    return await client.post(
        "/v1/plans/gs-12th/submissions", json={**body, **extra}, headers=headers
    )


async def event_types(app: FastAPI) -> list[str]:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        envelopes = (
            await session.scalars(
                select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
            )
        ).all()
    types = [CloudEvent.model_validate_json(item).type for item in envelopes]
    return [kind for kind in types if kind.startswith("cn.canlian.metrics")]


async def test_submit_return_resubmit_accept_and_the_locked_figures_stay(
    client: httpx.AsyncClient,
    rollback: FastAPI,
    apply: Apply,
    official: dict[str, str],
    county: dict[str, str],
    city: dict[str, str],
    gansu: None,
) -> None:
    await create_plan(client, official)
    deadline = await client.put(
        "/v1/plans/gs-12th/submission-deadlines",
        json={"region": LANZHOU, "year": 2014, "due": "2015-01-31"},
        headers=city,
    )
    assert deadline.status_code == 200, deadline.text
    # Moving the date names the version read; a stale one changes nothing.
    url = f"/v1/plans/gs-12th/submission-deadlines/{LANZHOU}/2014"
    moved = {"region": LANZHOU, "year": 2014, "due": "2015-02-28"}
    put = "/v1/plans/gs-12th/submission-deadlines"
    assert (await client.put(put, json=moved, headers=city)).status_code == 428
    read = await if_match(client, url, city)
    assert (await client.put(put, json=moved, headers=read)).status_code == 200
    stale = await client.put(put, json={**moved, "due": "2015-01-31"}, headers=read)
    assert stale.status_code == 412
    assert (await client.get(url, headers=city)).json()["due"] == "2015-02-28"
    first = await submit(client, county)
    assert first.status_code == 201, first.text
    assert (first.json()["version"], first.json()["status"]) == (1, "waiting")
    # 2014 is after the mid-term year (2013): the final targets apply.
    assert first.json()["milestone"] == "final"
    assert by_indicator(first.json(), COVERAGE)["value"] == 100.0
    again = await submit(client, county)
    assert again.status_code == 409
    returned = await client.post(
        f"/v1/submissions/{first.json()['id']}/return",
        json={"reason": "请核对七月新设残协的数据"},
        headers=await if_match(client, f"/v1/submissions/{first.json()['id']}", city),
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    second = await submit(client, county, note="已核对")
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2
    own = await client.post(f"/v1/submissions/{second.json()['id']}/accept", headers=county)
    assert own.status_code == 403
    assert own.json()["type"].endswith("/own-submission")
    read = await if_match(client, f"/v1/submissions/{second.json()['id']}", city)
    accepted = await client.post(f"/v1/submissions/{second.json()['id']}/accept", headers=read)
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["reviewed_by"]) == (
        "accepted",
        "lanzhou-stats",
    )

    # The province sees every county: Chengguan accepted, Qilihe not submitted and overdue.
    status = await client.get(
        f"/v1/regions/{GANSU}/submissions",
        params={"plan": "gs-12th", "year": 2014, "level": "county"},
        headers=official,
    )
    assert status.status_code == 200, status.text
    rows = {row["region"]["code"]: row for row in status.json()["regions"]}
    assert (rows[CHENGGUAN]["status"], rows[CHENGGUAN]["version"]) == ("accepted", 2)
    assert (rows[QILIHE]["status"], rows[QILIHE]["deadline"], rows[QILIHE]["overdue"]) == (
        "not_submitted",
        "2015-02-28",
        True,
    )
    assert rows[CHENGGUAN]["overdue"] is False
    assert status.json()["counts"] == {
        "not_submitted": 1,
        "waiting": 0,
        "returned": 0,
        "accepted": 1,
    }

    # A late event dissolves a Chengguan association in 2014: the live figures move, the
    # locked ones do not.
    await apply(
        envelope(
            organisation("a1", version=2, status=OrganisationStatus.DISSOLVED),
            at=datetime(2014, 10, 1, tzinfo=UTC),
        )
    )
    live = await client.get(
        f"/v1/regions/{CHENGGUAN}/indicators",
        params={"plan": "gs-12th", "as_of": "2014-12-31"},
        headers=county,
    )
    assert by_indicator(live.json(), COVERAGE)["value"] == 50.0
    locked = await client.get(
        f"/v1/plans/gs-12th/submissions/{CHENGGUAN}/2014/indicators", headers=county
    )
    assert locked.status_code == 200, locked.text
    assert by_indicator(locked.json(), COVERAGE)["value"] == 100.0

    # Revising locked figures needs a reason; the revision is version 3, the others kept.
    bare = await submit(client, county)
    assert bare.status_code == 422
    assert bare.json()["type"].endswith("/revision-needs-reason")
    revised = await submit(client, county, revision_reason="十月撤销一个残协,补报")
    assert revised.status_code == 201, revised.text
    assert revised.json()["version"] == 3
    assert by_indicator(revised.json(), COVERAGE)["value"] == 50.0
    history = await client.get(f"/v1/plans/gs-12th/submissions/{CHENGGUAN}/2014", headers=city)
    assert [(v["version"], v["status"]) for v in history.json()["items"]] == [
        (1, "returned"),
        (2, "accepted"),
        (3, "waiting"),
    ]
    # Until the revision is accepted, the accepted version is the one in force.
    locked = await client.get(
        f"/v1/plans/gs-12th/submissions/{CHENGGUAN}/2014/indicators", headers=county
    )
    assert by_indicator(locked.json(), COVERAGE)["value"] == 100.0
    assert await event_types(rollback) == [
        "cn.canlian.metrics.figures.submitted",
        "cn.canlian.metrics.submission.returned",
        "cn.canlian.metrics.figures.submitted",
        "cn.canlian.metrics.submission.accepted",
        "cn.canlian.metrics.figures.revised",
    ]


async def test_bad_submissions_are_refused(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county: dict[str, str],
    gansu: None,
) -> None:
    await create_plan(client, official)
    current = await client.post(
        "/v1/plans",
        json={
            "code": "gs-now",
            "name": "当期规划",
            "region": "62",
            "start_year": 2022,
            "end_year": 2030,
            "midterm_year": 2026,
        },
        headers=official,
    )
    assert current.status_code == 201, current.text
    this_year = datetime.now(UTC).year + 1  # not ended in any time zone
    not_ended = await client.post(
        "/v1/plans/gs-now/submissions",
        json={"region": CHENGGUAN, "year": this_year, "header": HEADER},
        headers={**county, "Accept-Language": "en"},
    )
    assert not_ended.status_code == 422
    assert not_ended.json()["type"].endswith("/period-not-ended")
    assert "has not ended" in not_ended.json()["detail"]
    outside = await submit(client, county, region=QILIHE)
    assert outside.status_code == 403
    assert outside.json()["type"].endswith("/region-outside-scope")
    no_reason = await client.post("/v1/submissions/1/return", json={"reason": ""}, headers=official)
    assert no_reason.status_code == 422


async def test_reviewing_names_the_version_read(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county: dict[str, str],
    city: dict[str, str],
    gansu: None,
) -> None:
    await create_plan(client, official)
    submitted = await submit(client, county)
    assert submitted.status_code == 201, submitted.text
    url = f"/v1/submissions/{submitted.json()['id']}"
    read = await if_match(client, url, city)
    assert read["If-Match"] == f'"{submitted.json()["revision"]}"'
    missing = await client.post(f"{url}/accept", headers=city)
    assert missing.status_code == 428, missing.text
    stale = await client.post(
        f"{url}/return", json={"reason": "请核对"}, headers={**city, "If-Match": '"9"'}
    )
    assert stale.status_code == 412, stale.text
    assert stale.headers["ETag"] == read["If-Match"]
    assert (await client.get(url, headers=city)).json()["status"] == "waiting"
    accepted = await client.post(f"{url}/accept", headers=read)
    assert accepted.status_code == 200, accepted.text
    assert accepted.headers["ETag"] != read["If-Match"]
