"""The presidium's review of the yearly budget report over HTTP on PostgreSQL (seed 002:
建立健全…年度预算执行情况向主席团报告并接受监督制度): one review per term and year, for a year
the term includes; a return carries its reasons; each review is announced; the terms owing a
year's review are listed."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer

from ..conftest import XINGQING, ZHANGZHENG, event_data, get_json, hold_term, register

pytestmark = pytest.mark.postgres

JINFENG = "640106000000"  # 金凤区, beside 兴庆区


def review_body(organisation_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "term_number": 7,
        "year": 2024,
        "reviewed_on": "2025-03-18",
        "budget_yuan": "12800000",
        "executed_yuan": "12150000.5",
        "note": "康复项目结余结转下年",
        "decision": "approved",
        **fields,
    }


async def federation_with_term(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, number: int
) -> str:
    created = await register(client, headers, name="残联", kind="federation", division_code=code)
    term = await hold_term(
        client, headers, created["id"], number=number, starts_on="2022-06-01", ends_on="2027-05-31"
    )
    assert term.status_code == 201, term.text
    organisation_id: str = created["id"]
    return organisation_id


async def test_a_terms_presidium_reviews_each_years_report_once(
    client: httpx.AsyncClient, org_app: FastAPI, county_official: dict[str, str]
) -> None:
    fid = await federation_with_term(client, county_official, XINGQING, 7)
    response = await client.post(
        "/v1/budget-reviews", json=review_body(fid), headers=county_official
    )
    assert response.status_code == 201, response.text
    review = response.json()
    assert response.headers["Location"] == f"/v1/budget-reviews/{review['id']}"
    assert isinstance(review["id"], str)
    assert review["budget_yuan"] == "12800000.00"
    assert review["executed_yuan"] == "12150000.50"
    assert review["execution_percent"] == "94.9"
    assert (review["decision"], review["recorded_by"]) == ("approved", "xq-official")
    shown = await get_json(client, f"/v1/budget-reviews/{review['id']}", county_official)
    assert shown == review
    [event] = await event_data(org_app, "budget-report.reviewed")
    assert (event["review_id"], event["term_number"], event["year"]) == (review["id"], 7, 2024)
    assert (event["decision"], event["division_code"]) == ("approved", XINGQING)

    again = await client.post(
        "/v1/budget-reviews",
        json=review_body(fid, reviewed_on="2025-04-01"),
        headers={**county_official, "Accept-Language": "en"},
    )
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/budget-review-exists")
    assert review["id"] in again.json()["detail"]

    # The next year's report returned with its reasons; a return without them is refused.
    bare = await client.post(
        "/v1/budget-reviews",
        json=review_body(fid, year=2025, reviewed_on="2026-03-10", decision="returned"),
        headers=county_official,
    )
    assert bare.status_code == 422, bare.text
    assert bare.json()["type"].endswith("/budget-review-reasons-missing")
    returned = await client.post(
        "/v1/budget-reviews",
        json=review_body(
            fid,
            year=2025,
            reviewed_on="2026-03-10",
            decision="returned",
            reasons="专项资金执行率偏低,请说明原因后重新报告",
        ),
        headers=county_official,
    )
    assert returned.status_code == 201, returned.text
    listed = await get_json(client, "/v1/budget-reviews", county_official, organisation_id=fid)
    assert [(item["year"], item["decision"]) for item in listed["items"]] == [
        (2024, "approved"),
        (2025, "returned"),
    ]


async def test_a_year_outside_the_term_or_a_date_before_the_year_is_refused(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    fid = await federation_with_term(client, county_official, XINGQING, 7)
    outside = await client.post(
        "/v1/budget-reviews", json=review_body(fid, year=2021), headers=county_official
    )
    assert outside.status_code == 422, outside.text
    assert outside.json()["type"].endswith("/budget-review-year-outside-term")
    assert "2021" in outside.json()["detail"]
    early = await client.post(
        "/v1/budget-reviews",
        json=review_body(fid, reviewed_on="2023-12-31"),
        headers=county_official,
    )
    assert early.status_code == 422, early.text
    assert early.json()["type"].endswith("/budget-review-before-year")
    no_term = await client.post(
        "/v1/budget-reviews", json=review_body(fid, term_number=6), headers=county_official
    )
    assert no_term.status_code == 404, no_term.text
    negative = await client.post(
        "/v1/budget-reviews", json=review_body(fid, budget_yuan="-1"), headers=county_official
    )
    assert negative.status_code == 422, negative.text


async def test_another_countys_official_sees_no_federation_to_review(
    client: httpx.AsyncClient, county_official: dict[str, str], org_settings: OrgRegistrySettings
) -> None:
    fid = await federation_with_term(client, county_official, XINGQING, 7)
    stranger = bearer(org_settings, roles=[auth.OFFICIAL], region=JINFENG, subject="jf")
    response = await client.post("/v1/budget-reviews", json=review_body(fid), headers=stranger)
    assert response.status_code == 404, response.text
    mine = await client.post("/v1/budget-reviews", json=review_body(fid), headers=county_official)
    url = f"/v1/budget-reviews/{mine.json()['id']}"
    assert (await client.get(url, headers=stranger)).status_code == 404


async def test_the_terms_owing_a_years_review_are_listed(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    county = await federation_with_term(client, county_official, XINGQING, 7)
    township = await federation_with_term(client, county_official, ZHANGZHENG, 2)
    reviewed = await client.post(
        "/v1/budget-reviews", json=review_body(county), headers=county_official
    )
    assert reviewed.status_code == 201, reviewed.text

    async def owing(year: int) -> list[tuple[str, int]]:
        found = await get_json(
            client, "/v1/budget-reviews/missing", county_official, year=str(year)
        )
        return [(item["organisation_id"], item["term_number"]) for item in found["items"]]

    assert await owing(2024) == [(township, 2)]
    assert sorted(await owing(2023)) == sorted([(county, 7), (township, 2)])
    assert await owing(2021) == []  # before either term
