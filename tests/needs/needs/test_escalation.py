"""An overdue need escalates: the federation one level up answers for it with a new due date;
running it again the same day changes nothing. Before escalating, needs found open past a
deadline (a petition not accepted past its acceptance deadline) are marked, once a round."""

import asyncio
import contextlib
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, update

from canlian.common.business_day import china_today
from canlian.common.events import needs as events
from canlian.common.runtime import PeriodicJob
from canlian.needs.models import EscalationRun, Need
from canlian.needs.needs.escalation import escalate_daily
from canlian.testing.services import if_match, runtime_of

from ..conftest import CHENGGUAN, TOWNSHIP, new_household, new_need, outbox_events

pytestmark = pytest.mark.postgres


GANSU = "620000000000"


async def test_an_overdue_petition_escalates_to_the_county(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    received = china_today() - timedelta(days=20)  # acceptance was due 5 days ago
    petition = await new_need(
        client,
        county,
        household["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": received.isoformat()},
    )
    assert petition["handling_division"] == TOWNSHIP
    fresh = await new_need(client, county, household["id"], category="care")
    done = await client.post("/v1/needs/escalations", headers=county)
    assert done.status_code == 200, done.text
    assert done.json()["need_ids"] == [petition["id"]]
    escalated = await client.get(f"/v1/needs/{petition['id']}", headers=county)
    assert escalated.json()["handling_division"] == CHENGGUAN
    assert escalated.json()["escalations"] == 1
    assert escalated.json()["due_on"] > china_today().isoformat()
    untouched = await client.get(f"/v1/needs/{fresh['id']}", headers=county)
    assert untouched.json()["escalations"] == 0
    again = await client.post("/v1/needs/escalations", headers=county)
    assert again.json()["escalated"] == 0
    published = [e for e in await outbox_events(needs_app) if e.subject == petition["id"]]
    assert published[-1].type == events.NeedEscalated.event_type
    assert published[-1].data["handling_division"] == CHENGGUAN


async def test_escalation_stays_within_the_callers_region(
    client: httpx.AsyncClient, county: dict[str, str], other_county: dict[str, str]
) -> None:
    outside = await client.post(f"/v1/needs/escalations?region={CHENGGUAN}", headers=other_county)
    assert outside.status_code == 403


async def test_an_escalation_run_retried_with_its_key_answers_the_first_answer(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    """An action on a collection takes Idempotency-Key (docs/api-conventions.md): its query
    is part of the request, so the same key with another region is another request (422)."""
    household = await new_household(client, county)
    received = china_today() - timedelta(days=20)
    petition = await new_need(
        client,
        county,
        household["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": received.isoformat()},
    )
    keyed = {**county, "Idempotency-Key": "escalate-k-1"}
    done = await client.post(f"/v1/needs/escalations?region={CHENGGUAN}", headers=keyed)
    assert done.status_code == 200, done.text
    assert done.json()["need_ids"] == [petition["id"]]
    retried = await client.post(f"/v1/needs/escalations?region={CHENGGUAN}", headers=keyed)
    assert retried.json() == done.json()  # the first answer, not "0 escalated"
    assert retried.headers["Idempotent-Replayed"] == "true"
    escalated = await client.get(f"/v1/needs/{petition['id']}", headers=county)
    assert escalated.json()["escalations"] == 1
    elsewhere = await client.post(f"/v1/needs/escalations?region={TOWNSHIP}", headers=keyed)
    assert elsewhere.status_code == 422
    assert elsewhere.json()["type"].endswith("/idempotency-key-reused")


async def test_the_daily_job_escalates_an_overdue_petition_once_a_day(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    runtime = runtime_of(needs_app)
    async with runtime.database.session() as session:
        # Whatever ran today against this database before: this test's day starts afresh.
        await session.execute(delete(EscalationRun))
    household = await new_household(client, county)
    received = china_today() - timedelta(days=20)
    petition = await new_need(
        client,
        county,
        household["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": received.isoformat()},
    )
    assert await escalate_daily(runtime) >= 1
    escalated = await client.get(f"/v1/needs/{petition['id']}", headers=county)
    assert (escalated.json()["handling_division"], escalated.json()["escalations"]) == (
        CHENGGUAN,
        1,
    )
    # Overdue again the same day (an official moved the date back): the day's run is done.
    async with runtime.database.session() as session:
        await session.execute(update(Need).where(Need.id == petition["id"]).values(due_on=received))
    assert await escalate_daily(runtime) == 0
    kept = await client.get(f"/v1/needs/{petition['id']}", headers=county)
    assert kept.json()["escalations"] == 1
    published = [e for e in await outbox_events(needs_app) if e.subject == petition["id"]]
    assert [e.type for e in published].count(events.NeedEscalated.event_type) == 1


async def test_a_need_with_the_province_is_not_taken_again_and_again(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    need = await new_need(client, county, household["id"], category="care")
    async with runtime_of(needs_app).database.session() as session:
        await session.execute(
            update(Need)
            .where(Need.id == need["id"])
            .values(handling_division=GANSU, due_on=china_today() - timedelta(days=1))
        )
    done = await client.post("/v1/needs/escalations", headers=county)
    assert need["id"] not in done.json()["need_ids"]
    kept = await client.get(f"/v1/needs/{need['id']}", headers=county)
    assert (kept.json()["handling_division"], kept.json()["escalations"]) == (GANSU, 0)


async def test_the_workers_run_the_escalation_job_again_after_a_failure(
    needs_app: FastAPI,
) -> None:
    runtime = runtime_of(needs_app)
    [job] = runtime.periodic_jobs
    assert (job.name, job.run) == ("needs-escalation", escalate_daily)
    runs: list[int] = []
    third = asyncio.Event()

    async def flaky(_: object) -> None:
        runs.append(len(runs))
        if len(runs) == 3:
            third.set()
        if len(runs) == 1:
            raise ConnectionError("database away")

    loop = asyncio.create_task(runtime.run_periodically(PeriodicJob("flaky", 0.01, flaky)))
    try:
        async with asyncio.timeout(10):
            await third.wait()
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    assert runs[:3] == [0, 1, 2]


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], need_id: str, step: str, body: object
) -> httpx.Response:
    url = f"/v1/needs/{need_id}"
    return await client.post(
        f"{url}/{step}", json=body, headers=await if_match(client, url, headers)
    )


async def test_a_petition_not_accepted_in_time_is_marked_before_it_escalates(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    received = china_today() - timedelta(days=20)  # acceptance was due 5 days ago
    petition = await new_need(
        client,
        county,
        household["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": received.isoformat()},
    )
    assert (petition["overdue"], petition["acceptance_overdue"]) == (False, False)
    await client.post("/v1/needs/escalations", headers=county)
    await client.post("/v1/needs/escalations", headers=county)  # marks nothing again
    marked = await client.get(f"/v1/needs/{petition['id']}", headers=county)
    # Its statutory closing deadline is still ahead: only the acceptance is late.
    assert (marked.json()["acceptance_overdue"], marked.json()["overdue"]) == (True, False)
    published = [e for e in await outbox_events(needs_app) if e.subject == petition["id"]]
    assert [e.type for e in published] == [
        events.NeedRecorded.event_type,
        events.NeedDeadlineMissed.event_type,
        events.NeedEscalated.event_type,
    ]
    missed = published[1].data
    assert (missed["acceptance_overdue"], missed["handling_division"]) == (True, TOWNSHIP)


async def test_a_need_past_its_deadline_with_the_province_is_marked_and_a_reopening_clears_it(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    need = await new_need(client, county, household["id"], category="care")
    async with runtime_of(needs_app).database.session() as session:
        await session.execute(
            update(Need)
            .where(Need.id == need["id"])
            .values(handling_division=GANSU, due_on=china_today() - timedelta(days=1))
        )
    done = await client.post("/v1/needs/escalations", headers=county)
    assert need["id"] not in done.json()["need_ids"]  # nothing above the province
    marked = await client.get(f"/v1/needs/{need['id']}", headers=county)
    assert (marked.json()["overdue"], marked.json()["acceptance_overdue"]) == (True, False)
    published = [e for e in await outbox_events(needs_app) if e.subject == need["id"]]
    assert published[-1].type == events.NeedDeadlineMissed.event_type
    assert published[-1].data["overdue"] is True

    closed = await _step(client, county, need["id"], "close", {"outcome": "已安排照料"})
    assert closed.json()["overdue"] is True  # closed late, still late
    await _step(client, county, need["id"], "satisfaction", {"satisfaction": "unsatisfied"})
    reopened = await _step(client, county, need["id"], "reopen", None)
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["overdue"] is False  # a new round with its own deadline
