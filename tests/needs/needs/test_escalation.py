"""An overdue need escalates: the federation one level up answers for it with a new due date;
running it again the same day changes nothing."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.business_day import china_today
from canlian.common.events import needs as events

from ..conftest import CHENGGUAN, TOWNSHIP, new_household, new_need, outbox_events

pytestmark = pytest.mark.postgres


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
