"""The annual assessment decides (003: 绩效考评和残疾人评价相结合…考核合格连续使用; 001: 能进能出):
the county's policy weight combines the two scores, the grade renews one village member's
contract and dismisses the other, whose seat then shows vacant; bad scores, a year the member
was not in post and stale writes are refused; contracts ending with no assessment are listed."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth, policy
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match

from ..conftest import (
    COUNTY,
    OTHER_VILLAGE,
    VILLAGE,
    VILLAGE_2,
    SeedOrganisation,
    all_pages,
    appoint,
    outbox_envelopes,
)

pytestmark = pytest.mark.postgres

WEIGHT = policy.ASSESSMENT_PERFORMANCE_WEIGHT.name


@pytest.fixture
def county_admin(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.ADMIN], region=COUNTY, subject="county-admin")


async def assess(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    appointment_id: object,
    year: int,
    performance: str,
    evaluation: str,
) -> httpx.Response:
    return await client.post(
        f"/v1/appointments/{appointment_id}/assessments",
        json={"year": year, "performance_score": performance, "evaluation_score": evaluation},
        headers=await if_match(client, f"/v1/appointments/{appointment_id}", headers),
    )


async def test_the_grade_renews_one_member_and_dismisses_the_other(
    client: httpx.AsyncClient,
    members_app: FastAPI,
    official: dict[str, str],
    county_admin: dict[str, str],
    seed_organisation: SeedOrganisation,
) -> None:
    url = f"/v1/policies/{WEIGHT}/regions/{COUNTY}"
    weight = await client.put(
        f"{url}/values/2025-01-01",
        json={"value": 60, "reason": "城关区残联文件〔2025〕1号"},
        headers=await if_match(client, url, county_admin),
    )
    assert weight.status_code == 200, weight.text
    await seed_organisation("org-1", division_code=VILLAGE)
    await seed_organisation("org-2", division_code=VILLAGE_2)
    kept = await appoint(client, official, 31, "org-1", contract_end="2025-12-31")
    dropped = await appoint(
        client, official, 32, "org-2", division_code=VILLAGE_2, contract_end="2025-12-31"
    )

    renewed = await assess(client, official, kept["id"], 2025, "96", "82")
    assert renewed.status_code == 201, renewed.text
    body = renewed.json()
    # 96 × 60% + 82 × 40% = 90.4: excellent under the county's weight (89, competent, at 50%).
    assert (body["performance_weight"], body["combined_score"]) == ("60.00", "90.40")
    assert (body["grade"], body["decision"]) == ("excellent", "renew")
    assert (body["contract_end_before"], body["contract_end_after"]) == (
        "2025-12-31",
        "2026-12-31",
    )
    appointment = await client.get(f"/v1/appointments/{kept['id']}", headers=official)
    assert appointment.json()["contract_end"] == "2026-12-31"
    assert appointment.json()["status"] == "active"
    read = await client.get(f"/v1/assessments/{body['id']}", headers=official)
    assert read.status_code == 200
    assert read.headers["ETag"]
    assert read.json()["decision"] == "renew"

    dismissed = await assess(client, official, dropped["id"], 2025, "50", "40")
    assert dismissed.status_code == 201, dismissed.text
    assert (dismissed.json()["grade"], dismissed.json()["decision"]) == ("incompetent", "dismiss")
    appointment = await client.get(f"/v1/appointments/{dropped['id']}", headers=official)
    assert appointment.json()["status"] == "dismissed"
    seats = await client.get("/v1/reports/seats", params={"region": COUNTY}, headers=official)
    by_place = {
        p["division_code"]: (p["active_committee_members"], p["vacant_seats"])
        for p in seats.json()["items"]
    }
    assert by_place[VILLAGE] == (1, 0)
    assert by_place[VILLAGE_2] == (0, 1)

    decided = [
        envelope["data"]
        for envelope in await outbox_envelopes(members_app)
        if envelope["type"] == "cn.canlian.members.assessment.decided"
    ]
    assert [(d["appointment_id"], d["decision"]) for d in decided] == [
        (str(kept["id"]), "renew"),
        (str(dropped["id"]), "dismiss"),
    ]
    left = [
        envelope["data"]["appointment_id"]
        for envelope in await outbox_envelopes(members_app)
        if envelope["type"] == "cn.canlian.members.appointment.left"
    ]
    assert left == [str(dropped["id"])]

    again = await assess(client, official, dropped["id"], 2026, "90", "90")
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/appointment-ended")
    twice = await assess(client, official, kept["id"], 2025, "96", "82")
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/assessment-exists")
    listed = await all_pages(client, "/v1/assessments", official, year="2025")
    assert {str(item["id"]) for item in listed} == {str(body["id"]), str(dismissed.json()["id"])}


async def test_an_improvement_plan_leaves_the_contract_as_it_is(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-1")
    appointment = await appoint(client, official, 33, "org-1")
    response = await assess(client, official, appointment["id"], 2025, "66", "60")
    assert response.status_code == 201, response.text
    # The seed's even weight: 63, basically competent.
    assert response.json()["combined_score"] == "63.00"
    assert response.json()["decision"] == "improvement_plan"
    assert response.json()["contract_end_after"] is None
    read = await client.get(f"/v1/appointments/{appointment['id']}", headers=official)
    assert (read.json()["status"], read.json()["contract_end"]) == ("active", "2027-12-31")


async def test_bad_scores_years_out_of_post_and_stale_writes_are_refused(
    client: httpx.AsyncClient,
    postgres_settings: PlatformSettings,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
) -> None:
    await seed_organisation("org-1")
    appointment = await appoint(client, official, 34, "org-1")
    path = f"/v1/appointments/{appointment['id']}/assessments"
    too_high = await assess(client, official, appointment["id"], 2025, "101", "80")
    assert too_high.status_code == 422
    negative = await assess(client, official, appointment["id"], 2025, "80", "-1")
    assert negative.status_code == 422
    before = await client.post(
        path,
        json={"year": 2024, "performance_score": "80", "evaluation_score": "80"},
        headers={
            **await if_match(client, f"/v1/appointments/{appointment['id']}", official),
            "Accept-Language": "en",
        },
    )
    assert before.status_code == 422, before.text
    assert before.json()["type"].endswith("/assessment-not-in-post")
    assert before.json()["title"] == "Not in post that year"
    future = await assess(client, official, appointment["id"], 2100, "80", "80")
    assert future.status_code == 422
    body = {"year": 2025, "performance_score": "80", "evaluation_score": "80"}
    missing = await client.post(path, json=body, headers=official)
    assert missing.status_code == 428
    stale = await client.post(path, json=body, headers={**official, "If-Match": '"99"'})
    assert stale.status_code == 412
    elsewhere = bearer(
        postgres_settings, roles=[auth.OFFICIAL], region="620103000000", subject="other"
    )
    foreign = await client.post(path, json=body, headers={**elsewhere, "If-Match": '"1"'})
    assert foreign.status_code == 404


async def test_contracts_ending_with_no_assessment_are_listed(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-1")
    await seed_organisation("org-3", division_code=OTHER_VILLAGE)
    assessed = await appoint(client, official, 35, "org-1", contract_end="2026-03-31")
    unassessed = await appoint(
        client, official, 36, "org-3", division_code=OTHER_VILLAGE, contract_end="2026-03-31"
    )
    response = await assess(client, official, assessed["id"], 2025, "85", "85")
    assert response.status_code == 201, response.text
    # The renewal moved the assessed contract to the end of 2026: out of the window.
    listed = await all_pages(
        client,
        "/v1/reports/contracts-without-assessment",
        official,
        as_of="2026-01-01",
        within_days="120",
    )
    assert [(item["appointment_id"], item["last_assessed_year"]) for item in listed] == [
        (unassessed["id"], None)
    ]
    wider = await all_pages(
        client,
        "/v1/reports/contracts-without-assessment",
        official,
        as_of="2026-01-01",
        within_days="400",
    )
    assert [item["appointment_id"] for item in wider] == [unassessed["id"]]
