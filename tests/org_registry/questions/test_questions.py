"""The officials' questions: coverage on a date, elections due, organisations failing a
standardisation item, through the API on the real PostgreSQL."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.business_day import china_today
from canlian.testing.services import if_match

from ..conftest import (
    CHUNLIN,
    DAXIN,
    WALU,
    XINGQING,
    ZHANGZHENG,
    ZHANGZHENG_VILLAGE,
    event_data,
    hold_term,
    register,
)

pytestmark = pytest.mark.postgres


async def test_coverage_as_of_a_past_date_counts_villages_and_associations_of_that_day(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    await register(
        client,
        county_official,
        {
            "name": "春林村残协",
            "kind": "association",
            "division_code": CHUNLIN,
            "established_on": "2019-01-01",
        },
    )
    old = await register(
        client,
        county_official,
        {
            "name": "掌政村残协",
            "kind": "association",
            "division_code": ZHANGZHENG_VILLAGE,
            "established_on": "2015-06-01",
        },
    )
    dissolved = await client.post(
        f"/v1/organisations/{old['id']}/dissolution",
        json={"dissolved_on": "2022-12-31", "reason": "并入春林村残协"},
        headers=await if_match(client, f"/v1/organisations/{old['id']}", county_official),
    )
    assert dissolved.status_code == 200
    merged = await client.post(
        "/v1/division-changes",
        json={
            "change": "merged",
            "code": WALU,
            "successor_code": CHUNLIN,
            "effective_on": "2024-03-01",
        },
        headers=county_official,
    )
    assert merged.status_code == 201, merged.text

    async def coverage(**params: str) -> tuple[int, int]:
        response = await client.get(
            "/v1/reports/coverage",
            params={"division": ZHANGZHENG, **params},
            headers=county_official,
        )
        body = response.json()
        return body["villages"], body["covered"]

    assert await coverage(as_of="2018-12-31") == (13, 1)  # only 掌政村's association
    assert await coverage(as_of="2020-12-31") == (13, 2)  # 洼路 still a village of its own
    assert await coverage() == (12, 1)  # 洼路 merged, 掌政村's association dissolved
    uncovered_2020 = (
        await client.get(
            "/v1/reports/uncovered-villages",
            params={"division": ZHANGZHENG, "as_of": "2020-12-31", "limit": "50"},
            headers=county_official,
        )
    ).json()["items"]
    assert WALU in [item["code"] for item in uncovered_2020]
    assert len(uncovered_2020) == 11


async def test_elections_due_in_the_next_days_include_overdue_ones_and_the_term_is_held(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    today = china_today()
    soon = await register(
        client, county_official, name="掌政镇残联", kind="federation", division_code=ZHANGZHENG
    )
    later = await register(
        client, county_official, name="大新镇残联", kind="federation", division_code=DAXIN
    )
    overdue = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    terms = {
        soon["id"]: today + timedelta(days=20),
        later["id"]: today + timedelta(days=400),
        overdue["id"]: today - timedelta(days=3),
    }
    for organisation_id, due in terms.items():
        response = await hold_term(
            client,
            county_official,
            organisation_id,
            starts_on=(due - timedelta(days=5 * 365)).isoformat(),
            ends_on=due.isoformat(),
        )
        assert response.status_code == 201, response.text
    due = (
        await client.get(
            "/v1/reports/elections-due",
            params={"days": "30", "division": XINGQING},
            headers=county_official,
        )
    ).json()["items"]
    assert [(item["organisation_id"], item["overdue"]) for item in due] == [
        (overdue["id"], True),
        (soon["id"], False),
    ]
    # The overdue federation holds its election: the new term replaces the old one.
    response = await hold_term(
        client,
        county_official,
        overdue["id"],
        starts_on=today.isoformat(),
        ends_on=(today + timedelta(days=5 * 365)).isoformat(),
    )
    assert response.json()["number"] == 2
    due = (
        await client.get(
            "/v1/reports/elections-due", params={"days": "30"}, headers=county_official
        )
    ).json()["items"]
    assert [item["organisation_id"] for item in due] == [soon["id"]]
    held = await event_data(org_app, "term.held")
    assert [event["term_number"] for event in held] == [1, 1, 1, 2]
    assert held[-1]["division_code"] == XINGQING


async def test_organisations_failing_a_standardisation_item(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    complete = {
        "has_sign": True,
        "has_seal": True,
        "has_staff": True,
        "has_funds": True,
        "has_work": True,
        "has_office": True,
        "has_activity_room": True,
    }
    good = await register(
        client,
        county_official,
        name="掌政镇残联",
        kind="federation",
        division_code=ZHANGZHENG,
        standardisation=complete,
    )
    assert good["failing_items"] == []
    bad = await register(
        client,
        county_official,
        name="大新镇残联",
        kind="federation",
        division_code=DAXIN,
        standardisation={**complete, "has_seal": False},
    )
    assert bad["failing_items"] == ["seal"]
    blind = await register(
        client,
        county_official,
        name="兴庆区盲人协会",
        kind="special_association",
        division_code=XINGQING,
        special_category="blind",
        standardisation={**complete, "has_premises": True, "yearly_activity_funds_yuan": 4000},
    )
    assert blind["failing_items"] == ["activity_funds"]  # a county needs 5,000 yuan

    async def failing(item: str) -> list[str]:
        page = (
            await client.get(
                "/v1/reports/standardisation-failures",
                params={"item": item, "division": XINGQING},
                headers=county_official,
            )
        ).json()
        return [entry["id"] for entry in page["items"]]

    assert await failing("seal") == [bad["id"]]
    assert await failing("activity_funds") == [blind["id"]]
    assert sorted(await failing("demonstration_site")) == sorted(
        [good["id"], bad["id"], blind["id"]]
    )
    unknown = await client.get(
        "/v1/reports/standardisation-failures",
        params={"item": "flag"},
        headers=county_official,
    )
    assert unknown.status_code == 422
    duplicate = await client.post(
        "/v1/organisations",
        json={
            "name": "又一个盲协",
            "kind": "special_association",
            "division_code": XINGQING,
            "special_category": "blind",
        },
        headers=county_official,
    )
    assert duplicate.status_code == 409
    missing_category = await client.post(
        "/v1/organisations",
        json={"name": "聋协", "kind": "special_association", "division_code": XINGQING},
        headers=county_official,
    )
    assert missing_category.status_code == 422
    assert missing_category.json()["type"].endswith("/special-category-mismatch")


async def test_the_old_questions_paths_move_to_the_reports(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    moved = await client.get(
        "/v1/questions/coverage", params={"division": ZHANGZHENG}, headers=county_official
    )
    assert moved.status_code == 308
    assert moved.headers["Location"] == f"/v1/reports/coverage?division={ZHANGZHENG}"
    followed = await client.get(moved.headers["Location"], headers=county_official)
    assert followed.status_code == 200, followed.text
    # `division` was the region's name here; `region` is the platform's, and both agree.
    both = await client.get(
        "/v1/reports/coverage",
        params={"region": ZHANGZHENG, "division": DAXIN},
        headers=county_official,
    )
    assert both.status_code == 422
    assert both.json()["type"].endswith("/conflicting-query-parameters")
