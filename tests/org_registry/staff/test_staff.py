"""Federation staff over HTTP on a real PostgreSQL (seed 002): disabled cadres against the
region's share (15% by the seed), seconded and part-time cadres shown, executive council
members' days at the grass roots against the region's minimum (60 by the seed)."""

from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth, policy
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match

from ..conftest import XINGQING, YINCHUAN, ZHANGZHENG_VILLAGE, event_data, register

pytestmark = pytest.mark.postgres


async def add_staff(
    client: httpx.AsyncClient, headers: dict[str, str], organisation_id: str, **fields: Any
) -> dict[str, Any]:
    body = {
        "organisation_id": organisation_id,
        "name": "马晓兰",
        "employment": "cadre",
        "is_disabled": False,
        "joined_on": "2020-03-01",
        **fields,
    }
    response = await client.post("/v1/federation-staff", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/v1/federation-staff/{response.json()['id']}"
    result: dict[str, Any] = response.json()
    return result


async def composition(
    client: httpx.AsyncClient, headers: dict[str, str], organisation_id: str
) -> dict[str, Any]:
    response = await client.get(
        f"/v1/organisations/{organisation_id}/staff-composition",
        params={"as_of": "2025-12-31"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_disabled_cadres_share_and_council_days_are_judged_by_the_regions_policy(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
    org_app: FastAPI,
) -> None:
    federation = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    fid = federation["id"]
    disabled = await add_staff(
        client,
        county_official,
        fid,
        name="王大明",
        is_disabled=True,
        disability_category=4,
        on_executive_council=True,
    )
    assert disabled["name"] != "王大明"
    reveal = f"/v1/federation-staff/{disabled['id']}/personal-data"
    assert (await client.get(reveal, headers=county_official)).status_code == 403
    auditor = bearer(
        org_settings, region=XINGQING, scopes=[auth.PERSONAL_DATA_READ], subject="auditor"
    )
    shown = await client.get(
        reveal, headers={**auditor, "X-Access-Reason": quote("核对残疾人干部比例")}
    )
    assert shown.status_code == 200, shown.text
    assert shown.json()["name"] == "王大明"
    others = [await add_staff(client, county_official, fid, name=f"李{n}") for n in "一二三四五"]
    await add_staff(client, county_official, fid, employment="seconded", name="张挂职")
    # 1 disabled of 7 = 14.3% < 15%.
    first = await composition(client, county_official, fid)
    assert (first["staff_in_post"], first["disabled_cadres"]) == (7, 1)
    assert first["disabled_share"] == "14.3"
    assert first["disabled_share_minimum"] == "15"
    assert first["disabled_share_met"] is False
    assert first["seconded_or_part_time"] == 1
    assert first["council_members_below"] == [{"staff_id": disabled["id"], "days": None}]

    # One leaves in 2024: 1 of 6 = 16.7%.
    url = f"/v1/federation-staff/{others[0]['id']}"
    left = await client.patch(
        url, json={"left_on": "2024-06-30"}, headers=await if_match(client, url, county_official)
    )
    assert left.status_code == 200, left.text
    second = await composition(client, county_official, fid)
    assert second["disabled_share"] == "16.7"
    assert second["disabled_share_met"] is True

    # Days at the grass roots: 45 < 60 by the seed; the region sets 40, then 45 meets it.
    days_url = f"/v1/federation-staff/{disabled['id']}"
    short = await client.put(
        f"{days_url}/grassroots-days/2025",
        json={"days": 45},
        headers=await if_match(client, days_url, county_official),
    )
    assert short.status_code == 200, short.text
    assert short.json()["grassroots_days"] == [
        {"year": 2025, "days": 45, "minimum_days": 60, "met": False}
    ]
    assert (await composition(client, county_official, fid))["council_members_below"] == [
        {"staff_id": disabled["id"], "days": 45}
    ]
    admin = bearer(org_settings, roles=[auth.ADMIN], region=XINGQING, subject="xq-admin")
    policy_url = f"/v1/policies/{policy.GRASSROOTS_DAYS_MINIMUM.name}/regions/{XINGQING}"
    set_days = await client.put(
        f"{policy_url}/values/2025-01-01",
        json={"value": 40, "reason": "兴庆区残联文件〔2025〕2号"},
        headers=await if_match(client, policy_url, admin),
    )
    assert set_days.status_code == 200, set_days.text
    assert (await composition(client, county_official, fid))["council_members_below"] == []

    recorded = await event_data(org_app, "federation-staff.grassroots-days-recorded")
    assert [(item["days"], item["minimum_days"], item["met"]) for item in recorded] == [
        (45, 60, False)
    ]
    joined = await event_data(org_app, "federation-staff.joined")
    assert len(joined) == 7
    assert all("name" not in item for item in joined)
    changed = await event_data(org_app, "federation-staff.changed")
    assert [item["left_on"] for item in changed] == ["2024-06-30"]


async def test_bad_staff_inputs_and_other_regions_are_refused(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
) -> None:
    federation = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    association = await register(
        client,
        county_official,
        name="掌政村残协",
        kind="association",
        division_code=ZHANGZHENG_VILLAGE,
    )
    base = {
        "organisation_id": federation["id"],
        "name": "马晓兰",
        "employment": "cadre",
        "is_disabled": False,
        "joined_on": "2020-03-01",
    }
    not_federation = await client.post(
        "/v1/federation-staff",
        json={**base, "organisation_id": association["id"]},
        headers=county_official,
    )
    assert not_federation.status_code == 422
    assert not_federation.json()["type"].endswith("/staff-not-a-federation")
    for bad in (
        {**base, "employment": "volunteer"},
        {**base, "name": ""},
        {**base, "disability_category": 9, "is_disabled": True},
        {**base, "disability_category": 3},  # not disabled
        {**base, "surplus": True},
    ):
        response = await client.post("/v1/federation-staff", json=bad, headers=county_official)
        assert response.status_code == 422, bad
    staff = await add_staff(client, county_official, federation["id"])
    url = f"/v1/federation-staff/{staff['id']}"
    early = await client.patch(
        url, json={"left_on": "2019-01-01"}, headers=await if_match(client, url, county_official)
    )
    assert early.status_code == 422
    assert early.json()["type"].endswith("/staff-left-before-joined")
    for days in (-1, 367):
        response = await client.put(
            f"{url}/grassroots-days/2025",
            json={"days": days},
            headers=await if_match(client, url, county_official),
        )
        assert response.status_code == 422
    before = await client.put(
        f"{url}/grassroots-days/2019",
        json={"days": 70},
        headers=await if_match(client, url, county_official),
    )
    assert before.status_code == 422
    assert before.json()["type"].endswith("/staff-year-not-served")
    missing = await client.put(
        f"{url}/grassroots-days/2025", json={"days": 70}, headers=county_official
    )
    assert missing.status_code == 428
    stale = await client.patch(
        url, json={"employment": "part_time"}, headers={**county_official, "If-Match": '"7"'}
    )
    assert stale.status_code == 412

    other = bearer(org_settings, roles=[auth.OFFICIAL], region="640105000000", subject="other")
    assert (await client.get(url, headers=other)).status_code in (403, 404)
    assert (await client.get("/v1/federation-staff", headers=other)).json()["items"] == []
    refused = await client.post("/v1/federation-staff", json=base, headers=other)
    assert refused.status_code in (403, 404)
    # The registry narrows a wider region to the caller's own; another region is refused.
    wider = await client.get(
        "/v1/federation-staff", params={"region": YINCHUAN}, headers=county_official
    )
    assert [item["id"] for item in wider.json()["items"]] == [staff["id"]]
    outside = await client.get(
        "/v1/federation-staff", params={"region": "640105000000"}, headers=county_official
    )
    assert outside.status_code in (403, 404)  # outside scope answers as elsewhere here


async def test_staff_snapshots_are_the_events_current_state_without_names(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
    org_app: FastAPI,
) -> None:
    """The metrics' reconciliation reads these: each one equal to the staff member's latest
    event, names never included, and only the caller's region."""
    federation = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    first = await add_staff(client, county_official, federation["id"], is_disabled=True)
    second = await add_staff(client, county_official, federation["id"], name="李四")
    url = f"/v1/federation-staff/{second['id']}"
    left = await client.patch(
        url, json={"left_on": "2025-06-30"}, headers=await if_match(client, url, county_official)
    )
    assert left.status_code == 200, left.text
    response = await client.get("/v1/federation-staff-snapshots", headers=county_official)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert "马晓兰" not in response.text
    assert "李四" not in response.text
    latest = {
        data["staff_id"]: data for data in await event_data(org_app, "federation-staff.changed")
    }
    for data in await event_data(org_app, "federation-staff.joined"):
        latest.setdefault(data["staff_id"], data)
    assert sorted(items, key=lambda item: item["staff_id"]) == sorted(
        latest.values(), key=lambda item: item["staff_id"]
    )
    assert {item["staff_id"]: item["left_on"] for item in items} == {
        first["id"]: None,
        second["id"]: "2025-06-30",
    }
    other = bearer(org_settings, roles=[auth.OFFICIAL], region="640105000000", subject="other")
    elsewhere = await client.get("/v1/federation-staff-snapshots", headers=other)
    assert elsewhere.json()["items"] == []
