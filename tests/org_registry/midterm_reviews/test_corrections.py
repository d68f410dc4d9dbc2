"""Correcting and withdrawing a mid-term review over HTTP on PostgreSQL: only the level above
changes it (the federation itself: 403), a correction keeps the review's window (422 before
the middle) and its earlier version, a withdrawal puts the term back among those due; both
name the version they were made against (If-Match) and are announced."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match

from ..conftest import ZHANGZHENG, event_data, get_json
from .test_midterm_reviews import federation_with_term, review_body

pytestmark = pytest.mark.postgres

CORRECTION = {
    "reviewed_on": "2024-09-10",
    "reviewer": "兴庆区残联届中考评组",
    "findings": "班子团结;残疾人干部比例偏低",
    "result": "fair",
    "conclusion": "建议补充一名残疾人干部",
    "adjustment_recommended": True,
    "reason": "考评组复核后将结果由较好更正为一般",
}


async def test_the_level_above_corrects_a_review_keeping_the_earlier_version(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
) -> None:
    fid = await federation_with_term(client, county_official, ZHANGZHENG)
    response = await client.post(
        "/v1/midterm-reviews", json=review_body(fid), headers=county_official
    )
    assert response.status_code == 201, response.text
    url = f"/v1/midterm-reviews/{response.json()['id']}"
    township = bearer(org_settings, roles=[auth.OFFICIAL], region=ZHANGZHENG, subject="zz")
    itself = await client.post(
        f"{url}/corrections", json=CORRECTION, headers=await if_match(client, url, township)
    )
    assert itself.status_code == 403, itself.text
    headers = await if_match(client, url, county_official)
    early = await client.post(
        f"{url}/corrections", json={**CORRECTION, "reviewed_on": "2024-06-30"}, headers=headers
    )
    assert early.status_code == 422, early.text
    assert early.json()["type"].endswith("/midterm-review-before-middle")
    corrected = await client.post(f"{url}/corrections", json=CORRECTION, headers=headers)
    assert corrected.status_code == 200, corrected.text
    review = corrected.json()
    assert (review["version"], review["result"], review["correction_reason"]) == (
        2,
        "fair",
        CORRECTION["reason"],
    )
    assert review["reviewer_division_code"] == "640104000000"
    stale = await client.post(f"{url}/corrections", json=CORRECTION, headers=headers)
    assert stale.status_code == 412, stale.text
    versions = (await get_json(client, f"{url}/versions", township))["items"]
    assert [(v["version"], v["content"]["result"]) for v in versions] == [
        (1, "fairly_good"),
        (2, "fair"),
    ]
    [event] = await event_data(org_app, "term.mid-term-review-corrected")
    assert (event["version"], event["result"], event["middle_of_term"]) == (
        2,
        "fair",
        "2024-07-01",
    )
    [first] = await event_data(org_app, "term.mid-term-reviewed")
    assert first["middle_of_term"] == "2024-07-01"


async def test_a_withdrawn_review_puts_the_term_back_among_those_due(
    client: httpx.AsyncClient, org_app: FastAPI, county_official: dict[str, str]
) -> None:
    fid = await federation_with_term(client, county_official, ZHANGZHENG)
    response = await client.post(
        "/v1/midterm-reviews", json=review_body(fid), headers=county_official
    )
    url = f"/v1/midterm-reviews/{response.json()['id']}"
    bare = await client.post(
        f"{url}/withdrawal", json={"reason": "误登记"}, headers=county_official
    )
    assert bare.status_code == 428, bare.text
    withdrawn = await client.post(
        f"{url}/withdrawal",
        json={"reason": "误登记到掌政镇"},
        headers=await if_match(client, url, county_official),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert (withdrawn.json()["status"], withdrawn.json()["version"]) == ("withdrawn", 2)
    [event] = await event_data(org_app, "term.mid-term-review-withdrawn")
    assert (event["review_id"], event["version"]) == (withdrawn.json()["id"], 2)
    due = await get_json(client, "/v1/midterm-reviews/due", county_official, on="2024-10-01")
    assert [item["organisation_id"] for item in due["items"]] == [fid]
    twice = await client.post(
        f"{url}/withdrawal",
        json={"reason": "再次撤销"},
        headers=await if_match(client, url, county_official),
    )
    assert twice.status_code == 409, twice.text
    anew = await client.post("/v1/midterm-reviews", json=review_body(fid), headers=county_official)
    assert anew.status_code == 201, anew.text
