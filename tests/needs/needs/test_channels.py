"""Needs from every channel: merged per household and category while open; a 12385 call
keeps its caller masked and out of events; a petition has its statutory deadlines and may
not be dated in the future."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.business_day import china_today
from canlian.common.events import needs as events

from ..conftest import new_household, new_need, outbox_events

pytestmark = pytest.mark.postgres


async def test_the_catalogue_lists_the_basic_services(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    response = await client.get("/v1/need-categories", headers=county)
    assert response.status_code == 200
    names = {item["code"]: item["name_zh"] for item in response.json()["items"]}
    assert names["rehabilitation"] == "康复服务"
    assert names["accessibility"] == "家庭无障碍改造"
    assert len(names) == len(events.ServiceKind)


async def test_a_second_report_of_an_open_need_is_merged(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    first = await new_need(client, county, household["id"])
    assert (first["reports"], first["merged"]) == (1, False)
    again = await client.post(
        "/v1/needs",
        json={
            "household_id": household["id"],
            "category": "rehabilitation",
            "channel": "volunteer",
            "description": "志愿者反映孩子需要康复",
        },
        headers=county,
    )
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"]
    assert (again.json()["reports"], again.json()["merged"]) == (2, True)
    other = await new_need(client, county, household["id"], category="employment")
    assert other["id"] != first["id"]
    types = [e.type for e in await outbox_events(needs_app) if e.subject == first["id"]]
    assert types == [events.NeedRecorded.event_type, events.NeedMerged.event_type]


async def test_a_hotline_call_keeps_its_caller_masked_and_out_of_events(
    needs_app: FastAPI, client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    call = {
        "caller": "李秀英",
        "called_at": datetime.now(UTC).isoformat(),
        "operator": "12385 接线员 07",
        "summary": "来电反映家中需要无障碍改造",
    }
    need = await new_need(
        client, county, household["id"], channel="hotline", category="accessibility", hotline=call
    )
    assert need["caller"] != "李秀英"
    assert need["caller"].startswith("李")
    assert need["operator"] == "12385 接线员 07"
    published = [e for e in await outbox_events(needs_app) if e.subject == need["id"]]
    assert "秀英" not in published[0].model_dump_json()
    missing = await client.post(
        "/v1/needs",
        json={
            "household_id": household["id"],
            "category": "care",
            "channel": "hotline",
            "description": "托养",
        },
        headers=county,
    )
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/channel-details-required")


async def test_a_petition_has_statutory_deadlines_and_is_never_dated_tomorrow(
    client: httpx.AsyncClient, county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    received = china_today() - timedelta(days=2)
    need = await new_need(
        client,
        county,
        household["id"],
        channel="petition",
        category="legal_aid",
        petition={"received_on": received.isoformat()},
    )
    assert need["petition_acceptance_due"] == (received + timedelta(days=15)).isoformat()
    assert need["due_on"] == need["petition_acceptance_due"]
    assert need["petition_closing_due"] == (received + timedelta(days=75)).isoformat()
    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    future = await client.post(
        "/v1/needs",
        json={
            "household_id": household["id"],
            "category": "legal_aid",
            "channel": "petition",
            "description": "维权",
            "petition": {"received_on": tomorrow},
        },
        headers=county,
    )
    assert future.status_code == 422
    assert future.json()["type"].endswith("/petition-in-future")


async def test_needs_of_another_county_are_not_found_nor_listed(
    client: httpx.AsyncClient, county: dict[str, str], other_county: dict[str, str]
) -> None:
    household = await new_household(client, county)
    need = await new_need(client, county, household["id"])
    assert (await client.get(f"/v1/needs/{need['id']}", headers=other_county)).status_code == 404
    assert (await client.get("/v1/needs", headers=other_county)).json()["items"] == []
    foreign = await client.post(
        "/v1/needs",
        json={
            "household_id": household["id"],
            "category": "care",
            "channel": "walk_in",
            "description": "托养",
        },
        headers=other_county,
    )
    assert foreign.status_code == 404
    visit_channel = await client.post(
        "/v1/needs",
        json={
            "household_id": household["id"],
            "category": "care",
            "channel": "visit",
            "description": "托养",
        },
        headers=county,
    )
    assert visit_channel.status_code == 422
