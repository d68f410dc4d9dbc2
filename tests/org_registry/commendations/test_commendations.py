"""Commendations over HTTP on PostgreSQL (seed 004: 爱心系列评选 每2年组织1次;自强系列评选 五年内
组织评选1次): a county opens rounds as the cycle allows (409 before it is due) and its own
cycle (a regional policy value) moves that; a township federation nominates persons (by their
owning service's id) and organisations of its region; the county above approves (the township
itself gets 403); approved nominations are honours of the organisation and of the region; bad
inputs are refused; each step is announced with ids only."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth, policy
from canlian.common.business_day import china_today
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match

from ..conftest import (
    DAXIN,
    NINGXIA,
    WALU,
    XINGQING,
    YINCHUAN,
    ZHANGZHENG,
    event_data,
    register,
)

pytestmark = pytest.mark.postgres

PERSON_ID = "5f0c2a4e-9d1b-4c3e-8a77-2b1f0e6d9c10"
BASE_YEAR = china_today().year - 10


@pytest.fixture
def township_official(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.OFFICIAL], region=ZHANGZHENG, subject="zz-official")


@pytest.fixture
def city_official(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.OFFICIAL], region=YINCHUAN, subject="yc-official")


async def open_round(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    programme: str,
    year: int,
    status: int = 201,
    division_code: str = XINGQING,
) -> dict[str, Any]:
    response = await client.post(
        "/v1/commendation-rounds",
        json={
            "programme": programme,
            "division_code": division_code,
            "year": year,
            "title": f"兴庆区{year}年评选",
        },
        headers={**headers, "Accept-Language": "en"},
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    if status == 201:
        assert response.headers["Location"] == f"/v1/commendation-rounds/{body['id']}"
    return body


def person(**fields: Any) -> dict[str, Any]:
    return {
        "nominee_kind": "person",
        "person_service": "members",
        "person_id": PERSON_ID,
        "display_name": "张丽",
        "division_code": ZHANGZHENG,
        "citation": "身残志坚,带领本村残疾人发展种养殖业",
        **fields,
    }


async def test_a_round_is_due_once_in_its_programmes_cycle(
    client: httpx.AsyncClient, org_app: FastAPI, county_official: dict[str, str]
) -> None:
    first = await open_round(client, county_official, "self_reliance", BASE_YEAR)
    assert (first["cycle_years"], first["year"], first["version"]) == (5, BASE_YEAR, 1)
    two_years_on = await open_round(
        client, county_official, "self_reliance", BASE_YEAR + 2, status=409
    )
    assert two_years_on["type"].endswith("/commendation-round-not-due")
    assert two_years_on["title"] == "The round is not due"
    assert str(BASE_YEAR) in two_years_on["detail"]
    same_year = await open_round(client, county_official, "self_reliance", BASE_YEAR, status=409)
    assert same_year["type"].endswith("/commendation-round-not-due")
    await open_round(client, county_official, "self_reliance", BASE_YEAR + 5)

    # The caring series every two years, apart from the self-reliance one.
    await open_round(client, county_official, "caring", BASE_YEAR + 1)
    await open_round(client, county_official, "caring", BASE_YEAR + 2, status=409)
    caring = await open_round(client, county_official, "caring", BASE_YEAR + 3)
    assert caring["cycle_years"] == 2

    listed = await client.get(
        "/v1/commendation-rounds",
        params={"region": XINGQING, "programme": "self_reliance"},
        headers=county_official,
    )
    assert listed.status_code == 200, listed.text
    assert [item["year"] for item in listed.json()["items"]] == [BASE_YEAR, BASE_YEAR + 5]
    opened = await event_data(org_app, ".commendation-round.opened")
    assert [(event["programme"], event["year"]) for event in opened[-4:]] == [
        ("self_reliance", BASE_YEAR),
        ("self_reliance", BASE_YEAR + 5),
        ("caring", BASE_YEAR + 1),
        ("caring", BASE_YEAR + 3),
    ]


async def test_a_region_sets_its_own_cycle(
    client: httpx.AsyncClient, org_settings: OrgRegistrySettings, county_official: dict[str, str]
) -> None:
    county_admin = bearer(org_settings, roles=[auth.ADMIN], region=XINGQING, subject="xq-admin")
    url = f"/v1/policies/{policy.SELF_RELIANCE_CYCLE_YEARS.name}/regions/{XINGQING}"
    bad = await client.put(
        f"{url}/values/2020-01-01",
        json={"value": 0, "reason": "兴残联发〔2026〕3号"},
        headers=await if_match(client, url, county_admin),
    )
    assert bad.status_code == 422, bad.text
    response = await client.put(
        f"{url}/values/2020-01-01",
        json={"value": 3, "reason": "兴残联发〔2026〕3号"},
        headers=await if_match(client, url, county_admin),
    )
    assert response.status_code in (200, 201), response.text
    await open_round(client, county_official, "self_reliance", BASE_YEAR)
    await open_round(client, county_official, "self_reliance", BASE_YEAR + 2, status=409)
    third = await open_round(client, county_official, "self_reliance", BASE_YEAR + 3)
    assert third["cycle_years"] == 3


async def test_bad_rounds_are_refused(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    too_early = await open_round(client, county_official, "caring", 1999, status=422)
    assert too_early["type"].endswith("/commendation-year-out-of-range")
    await open_round(client, county_official, "caring", china_today().year + 2, status=422)
    await open_round(client, county_official, "bravery", BASE_YEAR, status=422)
    await open_round(
        client, county_official, "caring", BASE_YEAR, status=403, division_code=YINCHUAN
    )
    blank = await client.post(
        "/v1/commendation-rounds",
        json={
            "programme": "caring",
            "division_code": XINGQING,
            "year": BASE_YEAR,
            "title": "\u202e",
        },
        headers=county_official,
    )
    assert blank.status_code == 422, blank.text
    extra = await client.post(
        "/v1/commendation-rounds",
        json={
            "programme": "caring",
            "division_code": XINGQING,
            "year": BASE_YEAR,
            "title": "评选",
            "citizen_id": "640104199001011234",
        },
        headers=county_official,
    )
    assert extra.status_code == 422, extra.text
    missing = await client.get("/v1/commendation-rounds/nope", headers=county_official)
    assert missing.status_code == 404


async def test_nominations_approved_by_the_level_above_become_honours(
    client: httpx.AsyncClient,
    org_app: FastAPI,
    county_official: dict[str, str],
    township_official: dict[str, str],
    city_official: dict[str, str],
) -> None:
    federation = await register(
        client, county_official, name="掌政镇残联", kind="federation", division_code=ZHANGZHENG
    )
    beside = await register(
        client, county_official, name="大新镇残联", kind="federation", division_code=DAXIN
    )
    held = await open_round(client, county_official, "caring", BASE_YEAR)
    url = f"/v1/commendation-rounds/{held['id']}/nominations"
    # The township finds the county's round among those it may nominate in.
    # A round another township holds is not.
    daxin_round = await open_round(
        client, county_official, "caring", BASE_YEAR, division_code=DAXIN
    )
    open_to_township = await client.get("/v1/commendation-rounds", headers=township_official)
    assert [item["id"] for item in open_to_township.json()["items"]] == [held["id"]]
    open_to_county = await client.get("/v1/commendation-rounds", headers=county_official)
    assert {item["id"] for item in open_to_county.json()["items"]} == {
        held["id"],
        daxin_round["id"],
    }
    english = {**township_official, "Accept-Language": "en"}

    nominated = await client.post(url, json=person(), headers=township_official)
    assert nominated.status_code == 201, nominated.text
    person_nomination = nominated.json()
    assert nominated.headers["Location"] == (
        f"/v1/commendation-nominations/{person_nomination['id']}"
    )
    assert (person_nomination["status"], person_nomination["nominating_division_code"]) == (
        "nominated",
        ZHANGZHENG,
    )
    organisation = await client.post(
        url,
        json={
            "nominee_kind": "organisation",
            "organisation_id": federation["id"],
            "citation": "常年开展助残志愿服务",
        },
        headers=township_official,
    )
    assert organisation.status_code == 201, organisation.text
    assert organisation.json()["display_name"] == "掌政镇残联"
    rejected = await client.post(
        url, json=person(person_id="other-person", display_name="李强"), headers=township_official
    )
    assert rejected.status_code == 201

    # Bad nominations.
    again = await client.post(url, json=person(), headers=english)
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/commendation-nominated-already")
    elsewhere = await client.post(url, json=person(division_code=DAXIN), headers=english)
    assert elsewhere.status_code == 403, elsewhere.text
    other_org = await client.post(
        url,
        json={"nominee_kind": "organisation", "organisation_id": beside["id"], "citation": "好"},
        headers=english,
    )
    assert other_org.status_code == 404, other_org.text
    mixed = await client.post(url, json=person(organisation_id=federation["id"]), headers=english)
    assert mixed.status_code == 422, mixed.text
    assert mixed.json()["type"].endswith("/commendation-nominee-invalid")
    nameless = await client.post(url, json=person(display_name=None), headers=english)
    assert nameless.status_code == 422
    hostile = await client.post(url, json=person(display_name="张\u200b丽"), headers=english)
    assert hostile.status_code == 422
    long_citation = await client.post(url, json=person(citation="好" * 2001), headers=english)
    assert long_citation.status_code == 422
    bad_id = await client.post(url, json=person(person_id="../x"), headers=english)
    assert bad_id.status_code == 422
    gone = await register(
        client, county_official, name="洼路村残协", kind="association", division_code=WALU
    )
    gone_url = f"/v1/organisations/{gone['id']}"
    dissolved = await client.post(
        f"{gone_url}/dissolution",
        json={"dissolved_on": f"{BASE_YEAR}-01-01", "reason": "合并"},
        headers=await if_match(client, gone_url, county_official),
    )
    assert dissolved.status_code == 200, dissolved.text
    dissolved_nominee = await client.post(
        url,
        json={"nominee_kind": "organisation", "organisation_id": gone["id"], "citation": "好"},
        headers=english,
    )
    assert dissolved_nominee.status_code == 409, dissolved_nominee.text
    assert dissolved_nominee.json()["type"].endswith("/commendation-nominee-dissolved")
    outside = await client.post(
        url, json=person(), headers={**city_official, "Accept-Language": "en"}
    )
    assert outside.status_code == 403, outside.text
    assert outside.json()["type"].endswith("/commendation-nominator-outside-round")

    # Decisions: the township cannot approve its own nomination; the county above can.
    decision_url = f"/v1/commendation-nominations/{person_nomination['id']}/decision"
    item_url = f"/v1/commendation-nominations/{person_nomination['id']}"
    own = await client.post(
        decision_url,
        json={"decision": "approved"},
        headers=await if_match(client, item_url, english),
    )
    assert own.status_code == 403, own.text
    assert own.json()["type"].endswith("/commendation-approval-by-level-above")
    assert own.json()["title"] == "Only the level above approves"
    no_precondition = await client.post(
        decision_url, json={"decision": "approved"}, headers=county_official
    )
    assert no_precondition.status_code == 428, no_precondition.text
    unknown = await client.post(
        decision_url,
        json={"decision": "maybe"},
        headers=await if_match(client, item_url, county_official),
    )
    assert unknown.status_code == 422
    approved = await client.post(
        decision_url,
        json={"decision": "approved", "note": "经区残联审核同意"},
        headers=await if_match(client, item_url, county_official),
    )
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["version"]) == ("approved", 2)
    assert approved.json()["decided_by_division_code"] == XINGQING
    twice = await client.post(
        decision_url,
        json={"decision": "rejected"},
        headers=await if_match(client, item_url, county_official),
    )
    assert twice.status_code == 409, twice.text
    assert twice.json()["type"].endswith("/commendation-decided-already")
    for nomination, decision in ((organisation.json(), "approved"), (rejected.json(), "rejected")):
        url_of = f"/v1/commendation-nominations/{nomination['id']}"
        decided = await client.post(
            f"{url_of}/decision",
            json={"decision": decision},
            headers=await if_match(client, url_of, county_official),
        )
        assert decided.status_code == 200, decided.text

    # Honours: the organisation's and the region's; the rejected one is none.
    honours = await client.get(
        f"/v1/organisations/{federation['id']}/honours", headers=township_official
    )
    assert honours.status_code == 200, honours.text
    assert [(h["programme"], h["year"], h["nominee_kind"]) for h in honours.json()["items"]] == [
        ("caring", BASE_YEAR, "organisation")
    ]
    none_beside = await client.get(
        f"/v1/organisations/{beside['id']}/honours", headers=county_official
    )
    assert none_beside.json()["items"] == []
    region = await client.get("/v1/honours", params={"region": XINGQING}, headers=county_official)
    assert region.status_code == 200, region.text
    assert sorted(h["display_name"] for h in region.json()["items"]) == ["张丽", "掌政镇残联"]
    assert {h["approved_by_division_code"] for h in region.json()["items"]} == {XINGQING}
    daxin = await client.get("/v1/honours", params={"region": DAXIN}, headers=county_official)
    assert daxin.json()["items"] == []
    above = await client.get("/v1/honours", params={"region": NINGXIA}, headers=township_official)
    assert {h["division_code"] for h in above.json()["items"]} == {ZHANGZHENG}
    listed = await client.get(url, headers=township_official)
    assert len(listed.json()["items"]) == 3

    # Events carry ids, never the person's name.
    nominations = await event_data(org_app, ".commendation.nominated")
    decisions = await event_data(org_app, ".commendation.decided")
    assert person_nomination["id"] in {event["nomination_id"] for event in nominations}
    assert {event["status"] for event in decisions[-3:]} == {"approved", "rejected"}
    for event in nominations + decisions:
        assert "张丽" not in str(event)
        assert "display_name" not in event
