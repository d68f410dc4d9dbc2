"""Evaluations on record, on PostgreSQL: a county drafts its final evaluation from its
accepted figures, redrafts it, the city approves it and it stays; the bad inputs; and the
province compares its counties on one indicator."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.settings import PlatformSettings
from canlian.testing.services import if_match

from ..conftest import CHENGGUAN, COVERAGE, GANSU, LANZHOU, QILIHE, create_plan
from ..submissions.test_submissions_api import HEADER, event_types, official_of

pytestmark = pytest.mark.postgres

CONCLUSION = "基层组织覆盖率达到规划目标,残协实现全覆盖。"


async def accepted(
    client: httpx.AsyncClient, county: dict[str, str], city: dict[str, str], region: str
) -> None:
    submitted = await client.post(
        "/v1/plans/gs-12th/submissions",
        json={"region": region, "year": 2015, "note": "十二五终期", "header": HEADER},
        headers=county,
    )
    assert submitted.status_code == 201, submitted.text
    response = await client.post(
        f"/v1/submissions/{submitted.json()['id']}/accept",
        headers=await if_match(client, f"/v1/submissions/{submitted.json()['id']}", city),
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def officials(postgres_settings: PlatformSettings) -> dict[str, dict[str, str]]:
    return {
        "chengguan": official_of(postgres_settings, CHENGGUAN, "chengguan-stats"),
        "qilihe": official_of(postgres_settings, QILIHE, "qilihe-stats"),
        "lanzhou": official_of(postgres_settings, LANZHOU, "lanzhou-stats"),
        "lanzhou-2": official_of(postgres_settings, LANZHOU, "lanzhou-chief"),
        "gansu": official_of(postgres_settings, GANSU, "gansu"),
    }


@pytest.fixture
async def final_2015(
    client: httpx.AsyncClient,
    official: dict[str, str],
    officials: dict[str, dict[str, str]],
    gansu: None,
) -> None:
    """Gansu's 十二五 plan; Chengguan's and Qilihe's 2015 figures accepted by Lanzhou."""
    await create_plan(client, official)
    await accepted(client, officials["chengguan"], officials["lanzhou"], CHENGGUAN)
    await accepted(client, officials["qilihe"], officials["lanzhou"], QILIHE)


async def draft(
    client: httpx.AsyncClient, headers: dict[str, str], region: str = CHENGGUAN, **extra: Any
) -> httpx.Response:
    body = {"region": region, "kind": "final", "conclusion": CONCLUSION, **extra}
    return await client.post("/v1/plans/gs-12th/evaluations", json=body, headers=headers)


def outcome(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(item for item in body["indicators"] if item["indicator"] == code)


async def test_draft_redraft_approve_and_the_approved_evaluation_never_changes(
    client: httpx.AsyncClient,
    rollback: FastAPI,
    officials: dict[str, dict[str, str]],
    final_2015: None,
) -> None:
    county, city = officials["chengguan"], officials["lanzhou"]
    drafted = await draft(client, county)
    assert drafted.status_code == 201, drafted.text
    body = drafted.json()
    assert (body["status"], body["version"], body["year"], body["kind"]) == (
        "draft",
        1,
        2015,
        "final",
    )
    assert body["region"]["name"] == "城关区"
    coverage = outcome(body, COVERAGE)
    # Both of Chengguan's villages have an association: 100% against the final ≥ 100%.
    assert (coverage["value"], coverage["comparator"], coverage["target"]) == (100.0, "ge", 100.0)
    assert coverage["status"] == "met"
    assert body["counts"]["met"] >= 1
    # Indicators without a target in the plan are "no target", never "met".
    assert {item["status"] for item in body["indicators"] if item["target"] is None} == {
        "no_target"
    }
    assert body["conclusion"] == CONCLUSION

    read = await if_match(client, f"/v1/evaluations/{body['id']}", county)
    # A redraft names the draft it replaces: without If-Match it is refused.
    assert (await draft(client, county, conclusion="补充")).status_code == 428
    redrafted = await draft(client, read, conclusion="  覆盖率达标。\r\n\u3000补充说明  ")
    assert redrafted.status_code == 201, redrafted.text
    assert redrafted.json()["id"] == body["id"]
    assert redrafted.json()["version"] == 2
    assert redrafted.json()["conclusion"] == "覆盖率达标。\n\u3000补充说明"

    evaluation = f"/v1/evaluations/{body['id']}"
    approved = await client.post(
        f"{evaluation}/approve", headers=await if_match(client, evaluation, city)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == "lanzhou-stats"
    assert approved.json()["approved_at"] is not None

    # Approved: neither redrafted nor approved again.
    again = await draft(client, await if_match(client, f"/v1/evaluations/{body['id']}", county))
    assert again.status_code == 409
    assert again.json()["type"].endswith("/evaluation-approved")
    twice = await client.post(
        f"{evaluation}/approve", headers=await if_match(client, evaluation, officials["gansu"])
    )
    assert twice.status_code == 409
    page = await client.get(f"/v1/evaluations/{body['id']}", headers=officials["gansu"])
    assert page.status_code == 200
    assert page.json()["conclusion"] == "覆盖率达标。\n\u3000补充说明"
    assert page.json()["version"] == 2
    assert await event_types(rollback) == [
        "cn.canlian.metrics.figures.submitted",
        "cn.canlian.metrics.submission.accepted",
        "cn.canlian.metrics.figures.submitted",
        "cn.canlian.metrics.submission.accepted",
        "cn.canlian.metrics.evaluation.drafted",
        "cn.canlian.metrics.evaluation.drafted",
        "cn.canlian.metrics.evaluation.approved",
    ]


async def test_an_evaluation_needs_the_accepted_figures_of_its_year(
    client: httpx.AsyncClient, officials: dict[str, dict[str, str]], final_2015: None
) -> None:
    # The mid-term year (2013) was never submitted: 422, saying what to do.
    response = await draft(client, officials["chengguan"], kind="midterm")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/evaluation-needs-locked-figures")
    assert "2013" in problem["detail"]
    assert "/v1/plans/gs-12th/submissions" in problem["detail"]
    assert "审核通过" in problem["detail"]
    english = await client.post(
        "/v1/plans/gs-12th/evaluations",
        json={"region": CHENGGUAN, "kind": "midterm", "conclusion": CONCLUSION},
        headers={**officials["chengguan"], "Accept-Language": "en"},
    )
    assert english.status_code == 422
    assert "Submit that year's figures" in english.json()["detail"]


async def test_bad_drafts_and_approvals_are_refused(
    client: httpx.AsyncClient, officials: dict[str, dict[str, str]], final_2015: None
) -> None:
    county = officials["chengguan"]
    for bad in ("   ", "结论" * 1001, "结论\u202e反转"):
        response = await draft(client, county, conclusion=bad)
        assert response.status_code == 422, bad[:10]
    assert (await draft(client, county, kind="yearly")).status_code == 422
    unknown_plan = await client.post(
        "/v1/plans/nope/evaluations",
        json={"region": CHENGGUAN, "kind": "final", "conclusion": CONCLUSION},
        headers=county,
    )
    assert unknown_plan.status_code == 404
    # Another county cannot draft Chengguan's evaluation.
    outside = await draft(client, officials["qilihe"])
    assert outside.status_code == 403

    drafted = await draft(client, county)
    assert drafted.status_code == 201, drafted.text
    evaluation = drafted.json()["id"]
    approve = f"/v1/evaluations/{evaluation}/approve"
    # Its own level approves nothing: 403.
    own = await client.post(approve, headers=county)
    assert own.status_code == 403
    assert own.json()["type"].endswith("/own-evaluation")
    # A region outside Chengguan's line: 403.
    assert (await client.post(approve, headers=officials["qilihe"])).status_code == 403
    # The drafter never approves their own, even from the level above.
    city_drafted = await draft(client, officials["lanzhou"], region=QILIHE)
    assert city_drafted.status_code == 201, city_drafted.text
    mine = await client.post(
        f"/v1/evaluations/{city_drafted.json()['id']}/approve", headers=officials["lanzhou"]
    )
    assert mine.status_code == 403
    assert mine.json()["type"].endswith("/own-evaluation")
    # Reads outside the scope look like a missing evaluation.
    hidden = await client.get(f"/v1/evaluations/{evaluation}", headers=officials["qilihe"])
    assert hidden.status_code == 404
    assert (await client.get("/v1/evaluations/999999", headers=county)).status_code == 404
    # Still a draft: nobody's refusal approved it.
    page = await client.get(f"/v1/evaluations/{evaluation}", headers=county)
    assert page.json()["status"] == "draft"


async def test_the_province_compares_its_counties_on_one_indicator(
    client: httpx.AsyncClient, officials: dict[str, dict[str, str]], final_2015: None
) -> None:
    for region, county in ((CHENGGUAN, "chengguan"), (QILIHE, "qilihe")):
        drafted = await draft(client, officials[county], region=region)
        assert drafted.status_code == 201, drafted.text
        evaluation = f"/v1/evaluations/{drafted.json()['id']}"
        response = await client.post(
            f"{evaluation}/approve",
            headers=await if_match(client, evaluation, officials["lanzhou"]),
        )
        assert response.status_code == 200, response.text
    query = {"plan": "gs-12th", "kind": "final", "indicator": COVERAGE}
    everyone = await client.get(
        f"/v1/regions/{LANZHOU}/evaluations", params=query, headers=officials["gansu"]
    )
    assert everyone.status_code == 200, everyone.text
    assert [(item["region"]["code"], item["status"]) for item in everyone.json()["items"]] == [
        (CHENGGUAN, "met"),
        (QILIHE, "not_met"),
    ]
    # Qilihe: one of three villages covered (33.3%) against its own target of ≥ 50%.
    qilihe = everyone.json()["items"][1]
    assert (qilihe["target"], qilihe["region"]["name"]) == (50.0, "七里河区")
    assert qilihe["gap"] == pytest.approx(16.6667, abs=1e-3)

    failed = await client.get(
        f"/v1/regions/{GANSU}/evaluations",
        params={**query, "level": "county", "status": "not_met"},
        headers=officials["gansu"],
    )
    assert [item["region"]["code"] for item in failed.json()["items"]] == [QILIHE]

    first = await client.get(
        f"/v1/regions/{GANSU}/evaluations",
        params={**query, "level": "county", "limit": 1},
        headers=officials["gansu"],
    )
    assert [item["region"]["code"] for item in first.json()["items"]] == [CHENGGUAN]
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    second = await client.get(
        f"/v1/regions/{GANSU}/evaluations",
        params={**query, "level": "county", "limit": 1, "cursor": cursor},
        headers=officials["gansu"],
    )
    assert [item["region"]["code"] for item in second.json()["items"]] == [QILIHE]
    assert second.json()["next_cursor"] is None

    # Bad inputs: an unknown indicator, a level not below, a region outside the scope.
    for params, status in (
        ({**query, "indicator": "nope"}, 422),
        ({**query, "kind": "yearly"}, 422),
        ({**query, "level": "province"}, 422),
    ):
        response = await client.get(
            f"/v1/regions/{LANZHOU}/evaluations", params=params, headers=officials["gansu"]
        )
        assert response.status_code == status, params
    hidden = await client.get(
        f"/v1/regions/{LANZHOU}/evaluations", params=query, headers=officials["qilihe"]
    )
    assert hidden.status_code == 404


async def test_approving_names_the_draft_read(
    client: httpx.AsyncClient, officials: dict[str, dict[str, str]], final_2015: None
) -> None:
    county, city = officials["chengguan"], officials["lanzhou"]
    drafted = await draft(client, county)
    assert drafted.status_code == 201, drafted.text
    url = f"/v1/evaluations/{drafted.json()['id']}"
    read = await if_match(client, url, city)
    missing = await client.post(f"{url}/approve", headers=city)
    assert missing.status_code == 428, missing.text
    # The county redrafts after the city read it: the city's approval is of an older draft.
    redrafted = await draft(client, await if_match(client, url, county), conclusion="重新起草")
    assert redrafted.status_code == 201, redrafted.text
    stale = await client.post(f"{url}/approve", headers=read)
    assert stale.status_code == 412, stale.text
    current = await client.get(url, headers=city)
    assert current.json()["status"] == "draft"
    assert stale.headers["ETag"] == current.headers["ETag"] != read["If-Match"]
    approved = await client.post(
        f"{url}/approve", headers={**city, "If-Match": stale.headers["ETag"]}
    )
    assert approved.status_code == 200, approved.text
