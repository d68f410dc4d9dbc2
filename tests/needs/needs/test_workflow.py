"""A need's steps: assessed, referred (a full platform is 409 naming its capacity), closed
with an outcome (422 without), rated, reopened when unsatisfied; a petition closes with its
reply."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.business_day import china_today
from canlian.common.events import needs as events
from canlian.testing.services import if_match

from ..conftest import new_household, new_need, new_platform, outbox_events

pytestmark = pytest.mark.postgres


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], need_id: str, step: str, body: object
) -> httpx.Response:
    url = f"/v1/needs/{need_id}"
    return await client.post(
        f"{url}/{step}", json=body, headers=await if_match(client, url, headers)
    )


async def test_a_need_goes_from_assessment_to_a_platform_and_is_closed_and_rated(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    platform = await new_platform(client, county, capacity=1)
    household = await new_household(client, county, disabled=2)
    need = await new_need(client, county, household["id"], category="care")
    early = await _step(
        client,
        county,
        need["id"],
        "referral",
        {"target": "platform", "platform_id": platform["id"]},
    )
    assert early.status_code == 409
    assert early.json()["type"].endswith("/need-not-assessed")
    assessed = await _step(client, county, need["id"], "assessment", {"assessment": "需日间照料"})
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["status"] == "assessed"
    due = (china_today() + timedelta(days=10)).isoformat()
    referred = await _step(
        client,
        county,
        need["id"],
        "referral",
        {"target": "platform", "platform_id": platform["id"], "due_on": due},
    )
    assert referred.status_code == 200, referred.text
    assert (referred.json()["status"], referred.json()["due_on"]) == ("referred", due)
    full = await client.get(f"/v1/platforms/{platform['id']}", headers=county)
    assert (full.json()["occupied"], full.json()["free"]) == (1, 0)

    # The platform's one place is taken: another household's referral is refused.
    other = await new_household(client, county)
    second = await new_need(client, county, other["id"], category="care")
    await _step(client, county, second["id"], "assessment", {"assessment": "需日间照料"})
    refused = await _step(
        client,
        county,
        second["id"],
        "referral",
        {"target": "platform", "platform_id": platform["id"]},
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/platform-full")
    assert "1 个名额" in refused.json()["detail"]

    no_outcome = await _step(client, county, need["id"], "close", {"satisfaction": "satisfied"})
    assert no_outcome.status_code == 422
    closed = await _step(
        client,
        county,
        need["id"],
        "close",
        {"outcome": "已入托残疾人之家", "satisfaction": "satisfied"},
    )
    assert closed.status_code == 200, closed.text
    assert (closed.json()["closed_within_deadline"], closed.json()["satisfaction"]) == (
        True,
        "satisfied",
    )
    freed = await client.get(f"/v1/platforms/{platform['id']}", headers=county)
    assert freed.json()["occupied"] == 0
    types = [e.type for e in await outbox_events(needs_app) if e.subject == need["id"]]
    assert types == [
        events.NeedRecorded.event_type,
        events.NeedAssessed.event_type,
        events.NeedReferred.event_type,
        events.NeedClosed.event_type,
    ]
    again = await _step(client, county, need["id"], "close", {"outcome": "再次"})
    assert again.status_code == 409


async def test_an_unsatisfied_closing_can_be_reopened(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    need = await new_need(client, county, household["id"], category="employment")
    await _step(client, county, need["id"], "assessment", {"assessment": "有就业意愿"})
    referred = await _step(
        client, county, need["id"], "referral", {"target": "department", "referred_to": "区人社局"}
    )
    assert referred.json()["referred_to"] == "区人社局"
    closed = await _step(client, county, need["id"], "close", {"outcome": "已推荐岗位"})
    assert closed.json()["satisfaction"] is None
    not_yet = await _step(client, county, need["id"], "reopen", None)
    assert not_yet.status_code == 409
    rated = await _step(
        client,
        county,
        need["id"],
        "satisfaction",
        {"satisfaction": "unsatisfied", "reason": "岗位太远"},
    )
    assert rated.status_code == 200, rated.text
    reopened = await _step(client, county, need["id"], "reopen", None)
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "open"


async def test_referral_targets_name_what_they_need_and_steps_need_the_version(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    need = await new_need(client, county, household["id"])
    url = f"/v1/needs/{need['id']}"
    assert (
        await client.post(f"{url}/assessment", json={"assessment": "x"}, headers=county)
    ).status_code == 428
    await _step(client, county, need["id"], "assessment", {"assessment": "需康复"})
    vague = await _step(client, county, need["id"], "referral", {"target": "department"})
    assert vague.status_code == 422
    volunteers = await _step(client, county, need["id"], "referral", {"target": "volunteers"})
    assert volunteers.status_code == 200
    assert volunteers.json()["referral_target"] == "volunteers"
    past = (china_today() - timedelta(days=1)).isoformat()
    late = await _step(
        client, county, need["id"], "referral", {"target": "volunteers", "due_on": past}
    )
    assert late.status_code == 422


async def test_a_petition_is_closed_with_its_reply_within_the_statutory_deadline(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    need = await new_need(
        client,
        county,
        household["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": china_today().isoformat()},
    )
    accepted = await _step(client, county, need["id"], "assessment", {"assessment": "受理"})
    closing_due = (china_today() + timedelta(days=60)).isoformat()
    assert accepted.json()["petition_closing_due"] == closing_due
    assert accepted.json()["due_on"] == closing_due
    unanswered = await _step(client, county, need["id"], "close", {"outcome": "已协调"})
    assert unanswered.status_code == 422
    assert unanswered.json()["type"].endswith("/petition-reply-required")
    closed = await _step(
        client,
        county,
        need["id"],
        "close",
        {"outcome": "已协调", "petition_reply": "已书面答复信访人"},
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_within_deadline"] is True
