"""The mid-term review (届中考评) over HTTP on PostgreSQL (seed 000: 加强对下级残联在…换届前、
届中等关键环节的双重管理; 003: 届中考评和调整): the county reviews a township federation's
leadership once, past the middle of its term; the township itself, or the county of its own
federation, may not (403); before the middle is refused (422); terms due are listed."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer

from ..conftest import XINGQING, ZHANGZHENG, event_data, get_json, hold_term, register

pytestmark = pytest.mark.postgres


def review_body(organisation_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "term_number": 1,
        "reviewed_on": "2024-09-10",
        "reviewer": "兴庆区残联届中考评组",
        "findings": "班子团结;残疾人干部比例偏低",
        "result": "fairly_good",
        "conclusion": "建议补充一名残疾人干部",
        "adjustment_recommended": True,
        **fields,
    }


async def federation_with_term(
    client: httpx.AsyncClient, headers: dict[str, str], code: str
) -> str:
    created = await register(client, headers, name="残联", kind="federation", division_code=code)
    # 2022-01-01 to 2026-12-31: 1,825 days, the middle 912 days on.
    term = await hold_term(
        client, headers, created["id"], starts_on="2022-01-01", ends_on="2026-12-31"
    )
    assert term.status_code == 201, term.text
    organisation_id: str = created["id"]
    return organisation_id


async def test_the_county_reviews_a_township_federation_once_past_the_middle(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
) -> None:
    fid = await federation_with_term(client, county_official, ZHANGZHENG)
    township = bearer(org_settings, roles=[auth.OFFICIAL], region=ZHANGZHENG, subject="zz")
    itself = await client.post("/v1/midterm-reviews", json=review_body(fid), headers=township)
    assert itself.status_code == 403, itself.text
    assert itself.json()["type"].endswith("/midterm-review-by-level-above")

    early = await client.post(
        "/v1/midterm-reviews",
        json=review_body(fid, reviewed_on="2024-06-30"),
        headers={**county_official, "Accept-Language": "en"},
    )
    assert early.status_code == 422, early.text
    assert early.json()["type"].endswith("/midterm-review-before-middle")
    assert "2024-07-01" in early.json()["detail"]

    due = await get_json(client, "/v1/midterm-reviews/due", county_official, on="2024-08-01")
    assert [(item["organisation_id"], item["middle_of_term"]) for item in due["items"]] == [
        (fid, "2024-07-01")
    ]
    not_yet = await get_json(client, "/v1/midterm-reviews/due", county_official, on="2024-06-01")
    assert not_yet["items"] == []

    response = await client.post(
        "/v1/midterm-reviews", json=review_body(fid), headers=county_official
    )
    assert response.status_code == 201, response.text
    review = response.json()
    assert response.headers["Location"] == f"/v1/midterm-reviews/{review['id']}"
    assert review["middle_of_term"] == "2024-07-01"
    assert (review["reviewer_division_code"], review["result"]) == (XINGQING, "fairly_good")
    assert review["recorded_by"] == "xq-official"
    assert await get_json(client, f"/v1/midterm-reviews/{review['id']}", township) == review
    [event] = await event_data(org_app, "term.mid-term-reviewed")
    assert (event["review_id"], event["term_number"], event["result"]) == (
        review["id"],
        1,
        "fairly_good",
    )
    assert event["adjustment_recommended"] is True

    again = await client.post(
        "/v1/midterm-reviews",
        json=review_body(fid, reviewed_on="2024-10-01"),
        headers=county_official,
    )
    assert again.status_code == 409, again.text
    assert review["id"] in again.json()["detail"]
    done = await get_json(client, "/v1/midterm-reviews/due", county_official, on="2024-10-01")
    assert done["items"] == []


async def test_the_same_level_may_not_review_its_own_federation(
    client: httpx.AsyncClient, county_official: dict[str, str], official: dict[str, str]
) -> None:
    fid = await federation_with_term(client, county_official, XINGQING)
    same = await client.post("/v1/midterm-reviews", json=review_body(fid), headers=county_official)
    assert same.status_code == 403, same.text
    # The region above (Ningxia) may; after the term's end it is no mid-term review.
    late = await client.post(
        "/v1/midterm-reviews", json=review_body(fid, reviewed_on="2027-01-05"), headers=official
    )
    assert late.status_code == 422, late.text
    by_region = await client.post("/v1/midterm-reviews", json=review_body(fid), headers=official)
    assert by_region.status_code == 201, by_region.text
    bad = await client.post(
        "/v1/midterm-reviews", json=review_body(fid, result="splendid"), headers=official
    )
    assert bad.status_code == 422, bad.text
