"""Correcting and withdrawing a presidium's budget review over HTTP on PostgreSQL: a
correction is a later version with a reason and keeps the earlier one; a withdrawal, with a
reason, makes way for the year's review to be recorded again; both name the version they
were made against (If-Match), are announced and land in the organisation's trail."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match

from ..conftest import XINGQING, event_data, get_json
from .test_budget_reviews import JINFENG, federation_with_term, review_body

pytestmark = pytest.mark.postgres

CORRECTION = {
    "reviewed_on": "2025-03-18",
    "budget_yuan": "12800000",
    "executed_yuan": "12510000.5",
    "note": "康复项目结余结转下年",
    "decision": "approved",
    "reason": "执行数录入有误,按主席团会议纪要更正",
}


async def recorded(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[str, str]:
    fid = await federation_with_term(client, headers, XINGQING, 7)
    response = await client.post("/v1/budget-reviews", json=review_body(fid), headers=headers)
    assert response.status_code == 201, response.text
    return fid, f"/v1/budget-reviews/{response.json()['id']}"


async def test_a_correction_is_a_later_version_with_its_reason_and_keeps_the_earlier(
    client: httpx.AsyncClient, org_app: FastAPI, county_official: dict[str, str]
) -> None:
    fid, url = await recorded(client, county_official)
    bare = await client.post(f"{url}/corrections", json=CORRECTION, headers=county_official)
    assert bare.status_code == 428, bare.text
    stale = await client.post(
        f"{url}/corrections", json=CORRECTION, headers={**county_official, "If-Match": '"9"'}
    )
    assert stale.status_code == 412, stale.text
    headers = await if_match(client, url, county_official)
    no_reason = {key: value for key, value in CORRECTION.items() if key != "reason"}
    assert (
        await client.post(f"{url}/corrections", json=no_reason, headers=headers)
    ).status_code == 422
    early = await client.post(
        f"{url}/corrections", json={**CORRECTION, "reviewed_on": "2023-12-31"}, headers=headers
    )
    assert early.status_code == 422, early.text
    assert early.json()["type"].endswith("/budget-review-before-year")
    bare_return = await client.post(
        f"{url}/corrections", json={**CORRECTION, "decision": "returned"}, headers=headers
    )
    assert bare_return.json()["type"].endswith("/budget-review-reasons-missing")

    corrected = await client.post(f"{url}/corrections", json=CORRECTION, headers=headers)
    assert corrected.status_code == 200, corrected.text
    review = corrected.json()
    assert corrected.headers["ETag"] == '"2"'
    assert (review["version"], review["executed_yuan"], review["execution_percent"]) == (
        2,
        "12510000.50",
        "97.7",
    )
    assert review["correction_reason"] == CORRECTION["reason"]
    assert (review["status"], review["changed_by"]) == ("recorded", "xq-official")
    assert await get_json(client, url, county_official) == review
    versions = (await get_json(client, f"{url}/versions", county_official))["items"]
    assert [(v["version"], v["change"], v["reason"]) for v in versions] == [
        (1, "recorded", None),
        (2, "corrected", CORRECTION["reason"]),
    ]
    assert versions[0]["content"]["executed_yuan"] == "12150000.50"  # the earlier kept
    assert versions[1]["content"]["executed_yuan"] == "12510000.50"
    [event] = await event_data(org_app, "budget-report.review-corrected")
    assert (event["review_id"], event["version"], event["executed_yuan"]) == (
        review["id"],
        2,
        "12510000.50",
    )
    trail = await get_json(client, f"/v1/organisations/{fid}/changes", county_official)
    actions = [item["action"] for item in trail["items"]]
    assert "term.budget_report_review_corrected" in actions


async def test_a_withdrawn_review_counts_no_more_and_the_year_may_be_reviewed_again(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
) -> None:
    fid, url = await recorded(client, county_official)
    stranger = bearer(org_settings, roles=[auth.OFFICIAL], region=JINFENG, subject="jf")
    elsewhere = await client.post(
        f"{url}/withdrawal", json={"reason": "误登记"}, headers={**stranger, "If-Match": "*"}
    )
    assert elsewhere.status_code == 404, elsewhere.text
    headers = await if_match(client, url, county_official)
    assert (await client.post(f"{url}/withdrawal", json={}, headers=headers)).status_code == 422
    withdrawn = await client.post(
        f"{url}/withdrawal", json={"reason": "误登记为第7届"}, headers=headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    review = withdrawn.json()
    assert (review["status"], review["version"], review["withdrawal_reason"]) == (
        "withdrawn",
        2,
        "误登记为第7届",
    )
    assert review["withdrawn_on"] is not None
    [event] = await event_data(org_app, "budget-report.review-withdrawn")
    assert (event["review_id"], event["version"], event["year"]) == (review["id"], 2, 2024)

    missing = await get_json(client, "/v1/budget-reviews/missing", county_official, year="2024")
    assert [item["organisation_id"] for item in missing["items"]] == [fid]
    again = await client.post(
        f"{url}/corrections",
        json=CORRECTION,
        headers=await if_match(client, url, county_official),
    )
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/budget-review-withdrawn")
    anew = await client.post("/v1/budget-reviews", json=review_body(fid), headers=county_official)
    assert anew.status_code == 201, anew.text
    versions = (await get_json(client, f"{url}/versions", county_official))["items"]
    assert [v["change"] for v in versions] == ["recorded", "withdrawn"]
    assert versions[1]["content"]["status"] == "withdrawn"
