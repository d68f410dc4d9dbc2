"""A need referred to the volunteers closes when the volunteers service announces it served:
outcome recorded, the deadline judged, NeedClosed announced; the same announcement again
changes nothing; a petition waits for an official's reply; a need not with the volunteers
is left alone."""

from collections.abc import Sequence
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.business_day import china_today
from canlian.common.events import needs as events
from canlian.common.events.base import CloudEvent
from canlian.common.events.volunteers import ReferredNeedFulfilled, Skill
from canlian.needs.needs.volunteer_outcomes import apply_volunteer_events
from canlian.testing.services import if_match, runtime_of

from ..conftest import VILLAGE, new_household, new_need, outbox_events

pytestmark = pytest.mark.postgres


def fulfilled(need_id: str, *, days_ago: int = 0) -> CloudEvent:
    event = ReferredNeedFulfilled(
        source_need_id=need_id,
        volunteer_need_id=f"v-{need_id}",
        version=3,
        division_code=VILLAGE,
        service_kind=Skill.DAILY_CARE,
        outcome="转介需求:托养照料:志愿者服务已完成,1 名志愿者",
        fulfilled_on=china_today() - timedelta(days=days_ago),
        volunteers=1,
    )
    return CloudEvent.wrap(event, source="/canlian/volunteers")


async def deliver(app: FastAPI, batch: Sequence[CloudEvent]) -> None:
    async with runtime_of(app).database.session() as session:
        await apply_volunteer_events(session, batch)
        await session.commit()


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], need_id: str, step: str, body: object
) -> httpx.Response:
    url = f"/v1/needs/{need_id}"
    response = await client.post(
        f"{url}/{step}", json=body, headers=await if_match(client, url, headers)
    )
    assert response.status_code == 200, response.text
    return response


async def _referred(
    client: httpx.AsyncClient, headers: dict[str, str], target: str = "volunteers", **extra: object
) -> dict[str, object]:
    household = await new_household(client, headers)
    need = await new_need(client, headers, household["id"], category="care", **extra)
    await _step(client, headers, need["id"], "assessment", {"assessment": "需上门照料"})
    body: dict[str, object] = {"target": target}
    if target == "department":
        body["referred_to"] = "区民政局"
    referred = await _step(client, headers, need["id"], "referral", body)
    return dict(referred.json())


async def test_a_served_referral_closes_the_need_once(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    need = await _referred(client, county)
    event = fulfilled(str(need["id"]))
    await deliver(needs_app, [event])
    closed = await client.get(f"/v1/needs/{need['id']}", headers=county)
    body = closed.json()
    assert (body["status"], body["closed_on"]) == ("closed", china_today().isoformat())
    assert body["closed_within_deadline"] is True
    assert "志愿者服务已完成" in body["outcome"]
    await deliver(needs_app, [event])  # the bus delivers again: nothing more happens
    again = await client.get(f"/v1/needs/{need['id']}", headers=county)
    assert again.json()["version"] == body["version"]
    types = [e.type for e in await outbox_events(needs_app) if e.subject == need["id"]]
    assert types[-1] == events.NeedClosed.event_type
    assert types.count(events.NeedClosed.event_type) == 1


async def test_served_before_the_referral_closes_on_the_day_it_was_referred(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    need = await _referred(client, county)
    await deliver(needs_app, [fulfilled(str(need["id"]), days_ago=3)])
    closed = await client.get(f"/v1/needs/{need['id']}", headers=county)
    assert closed.json()["closed_on"] == need["referred_on"]


async def test_a_petition_or_a_need_sent_elsewhere_stays_open(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    elsewhere = await _referred(client, county, target="department")
    petition = await _referred(
        client,
        county,
        channel="petition",
        petition={"received_on": china_today().isoformat()},
    )
    await deliver(needs_app, [fulfilled(str(elsewhere["id"])), fulfilled(str(petition["id"]))])
    for need in (elsewhere, petition):
        kept = await client.get(f"/v1/needs/{need['id']}", headers=county)
        assert (kept.json()["status"], kept.json()["version"]) == ("referred", need["version"])
