"""Standardisation acceptance over HTTP on PostgreSQL (seed 003: 《基层残疾人组织规范化建设
验收标准》…实地考核验收): the county inspects a township federation against the seed's checklist
and it passes, then becomes a demonstration site; the township cannot inspect itself (403);
a county's own checklist gives a conditional pass that a re-inspection turns into a pass; bad
scores and checklists are refused; each step is announced and audited."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match

from ..conftest import DAXIN, XINGQING, ZHANGZHENG, event_data, get_json, register

pytestmark = pytest.mark.postgres

SEED_SCORES = {"organisation": 18, "staff": 18, "facilities": 17, "funds": 13, "mechanism": 20}


def findings(scores: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"item": item, "score": str(score), "finding": "台账齐全"} for item, score in scores.items()
    ]


@pytest.fixture
def township_official(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.OFFICIAL], region=ZHANGZHENG, subject="zz-official")


@pytest.fixture
def county_admin(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.ADMIN], region=XINGQING, subject="xq-admin")


async def federation(client: httpx.AsyncClient, headers: dict[str, str], code: str) -> str:
    created = await register(client, headers, name="镇残联", kind="federation", division_code=code)
    organisation_id: str = created["id"]
    return organisation_id


async def test_the_county_accepts_a_township_which_then_becomes_a_demonstration_site(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    county_official: dict[str, str],
    township_official: dict[str, str],
) -> None:
    organisation_id = await federation(client, county_official, ZHANGZHENG)
    checklist = await get_json(
        client, f"/v1/organisations/{organisation_id}/acceptance-checklist", county_official
    )
    assert (checklist["id"], checklist["total_points"], checklist["pass_mark"]) == (None, 100, 80)
    assert [item["code"] for item in checklist["items"]] == list(SEED_SCORES)
    url = f"/v1/organisations/{organisation_id}/inspections"
    body = {"inspected_on": "2026-06-01", "findings": findings(SEED_SCORES)}

    itself = await client.post(
        url, json=body, headers={**township_official, "Accept-Language": "en"}
    )
    assert itself.status_code == 403, itself.text
    assert itself.json()["type"].endswith("/inspection-by-level-above")
    assert itself.json()["title"] == "Only the level above inspects"
    too_high = await client.post(
        url,
        json={**body, "findings": findings({**SEED_SCORES, "staff": 21})},
        headers=county_official,
    )
    assert too_high.status_code == 422, too_high.text
    assert too_high.json()["type"].endswith("/inspection-score-out-of-range")
    negative = await client.post(
        url,
        json={**body, "findings": findings({**SEED_SCORES, "funds": -1})},
        headers=county_official,
    )
    assert negative.status_code == 422
    partial = {key: value for key, value in SEED_SCORES.items() if key != "mechanism"}
    missing = await client.post(
        url, json={**body, "findings": findings(partial)}, headers=county_official
    )
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/inspection-findings-invalid")
    future = await client.post(
        url, json={**body, "inspected_on": "2100-01-01"}, headers=county_official
    )
    assert future.status_code == 422

    not_yet = await client.post(
        f"/v1/organisations/{organisation_id}/demonstration-site",
        headers=await if_match(client, f"/v1/organisations/{organisation_id}", county_official),
    )
    assert not_yet.status_code == 409, not_yet.text

    passed = await client.post(url, json=body, headers=county_official)
    assert passed.status_code == 201, passed.text
    inspection = passed.json()
    assert (inspection["total_score"], inspection["result"]) == ("86.0", "passed")
    assert inspection["valid_until"] == "2029-06-01"
    assert inspection["inspector_division_code"] == XINGQING
    assert [f["score"] for f in inspection["findings"]] == ["18.0", "18.0", "17.0", "13.0", "20.0"]
    read = await client.get(f"/v1/inspections/{inspection['id']}", headers=township_official)
    assert read.status_code == 200
    assert read.headers["ETag"]
    again = await client.post(url, json=body, headers=county_official)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/inspection-current")

    designated = await client.post(
        f"/v1/organisations/{organisation_id}/demonstration-site",
        headers=await if_match(client, f"/v1/organisations/{organisation_id}", county_official),
    )
    assert designated.status_code == 200, designated.text
    assert designated.json()["standardisation"]["is_demonstration_site"] is True

    inspected = await event_data(org_app, "standardisation.inspected")
    assert [(e["organisation_id"], e["result"]) for e in inspected] == [(organisation_id, "passed")]
    sites = await event_data(org_app, "demonstration-site.designated")
    assert [(e["organisation_id"], e["inspection_id"]) for e in sites] == [
        (organisation_id, inspection["id"])
    ]
    trail = await get_json(client, f"/v1/organisations/{organisation_id}/changes", county_official)
    actions = [row["action"] for row in trail["items"]]
    assert "acceptance.inspected" in actions
    assert "organisation.demonstration_site_designated" in actions


async def test_a_demonstration_site_is_not_set_by_hand(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    refused = await client.post(
        "/v1/organisations",
        json={
            "name": "镇残联",
            "kind": "federation",
            "division_code": ZHANGZHENG,
            "standardisation": {"is_demonstration_site": True},
        },
        headers=county_official,
    )
    assert refused.status_code == 409, refused.text
    organisation_id = await federation(client, county_official, ZHANGZHENG)
    patched = await client.patch(
        f"/v1/organisations/{organisation_id}",
        json={"standardisation": {"is_demonstration_site": True}},
        headers=await if_match(client, f"/v1/organisations/{organisation_id}", county_official),
    )
    assert patched.status_code == 409, patched.text
    assert patched.json()["type"].endswith("/demonstration-site-by-acceptance")


async def test_a_county_checklist_conditional_pass_then_a_reinspection(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    county_official: dict[str, str],
    county_admin: dict[str, str],
) -> None:
    checklist = {
        "division_code": XINGQING,
        "level": 4,
        "effective_from": "2026-01-01",
        "title": "兴庆区乡镇残联规范化建设验收标准",
        "items": [
            {"code": "organisation", "title": "组织健全", "points": 60},
            {"code": "services", "title": "服务到位", "points": 40},
        ],
        "pass_mark": 90,
        "conditional_mark": 75,
        "validity_years": 2,
    }
    by_official = await client.post(
        "/v1/acceptance-checklists", json=checklist, headers=county_official
    )
    assert by_official.status_code == 403
    own_level = await client.post(
        "/v1/acceptance-checklists", json={**checklist, "level": 3}, headers=county_admin
    )
    assert own_level.status_code == 422
    marks = await client.post(
        "/v1/acceptance-checklists", json={**checklist, "pass_mark": 101}, headers=county_admin
    )
    assert marks.status_code == 422
    created = await client.post("/v1/acceptance-checklists", json=checklist, headers=county_admin)
    assert created.status_code == 201, created.text
    assert created.json()["total_points"] == 100
    twice = await client.post("/v1/acceptance-checklists", json=checklist, headers=county_admin)
    assert twice.status_code == 409
    listed = await get_json(client, "/v1/acceptance-checklists", county_official, level="4")
    assert [item["id"] for item in listed["items"]] == [created.json()["id"]]

    organisation_id = await federation(client, county_official, DAXIN)
    in_force = await get_json(
        client, f"/v1/organisations/{organisation_id}/acceptance-checklist", county_official
    )
    assert in_force["id"] == created.json()["id"]
    first = await client.post(
        f"/v1/organisations/{organisation_id}/inspections",
        json={
            "inspected_on": "2026-03-01",
            "findings": findings({"organisation": 50, "services": 30}),
            "conditions": "三个月内配齐联络员",
        },
        headers=county_official,
    )
    assert first.status_code == 201, first.text
    assert (first.json()["result"], first.json()["valid_until"]) == (
        "passed_with_conditions",
        "2027-03-01",
    )
    assert first.json()["checklist_id"] == created.json()["id"]
    conditional = await client.post(
        f"/v1/organisations/{organisation_id}/demonstration-site",
        headers=await if_match(client, f"/v1/organisations/{organisation_id}", county_official),
    )
    assert conditional.status_code == 409

    reinspection_url = f"/v1/inspections/{first.json()['id']}/reinspections"
    body = {
        "inspected_on": "2026-06-01",
        "findings": findings({"organisation": 58, "services": 36}),
    }
    missing = await client.post(reinspection_url, json=body, headers=county_official)
    assert missing.status_code == 428
    headers = await if_match(client, f"/v1/inspections/{first.json()['id']}", county_official)
    second = await client.post(reinspection_url, json=body, headers=headers)
    assert second.status_code == 201, second.text
    assert (second.json()["result"], second.json()["valid_until"]) == ("passed", "2028-06-01")
    assert second.json()["reinspection_of"] == first.json()["id"]
    stale = await client.post(reinspection_url, json=body, headers=headers)
    assert stale.status_code == 412
    replaced = await get_json(client, f"/v1/inspections/{first.json()['id']}", county_official)
    assert replaced["superseded_by"] == second.json()["id"]
    history = await get_json(
        client, f"/v1/organisations/{organisation_id}/inspections", county_official
    )
    assert [item["id"] for item in history["items"]] == [first.json()["id"], second.json()["id"]]
    designated = await client.post(
        f"/v1/organisations/{organisation_id}/demonstration-site",
        headers=await if_match(client, f"/v1/organisations/{organisation_id}", county_official),
    )
    assert designated.status_code == 200, designated.text
    superseded = await event_data(org_app, "standardisation.superseded")
    assert [e["superseded_by"] for e in superseded] == [second.json()["id"]]
    assert [e["checklist_id"] for e in await event_data(org_app, "acceptance-checklist.set")] == [
        created.json()["id"]
    ]
