"""Terms, bodies and the compliance of the current leadership, through the API on the real
PostgreSQL."""

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common import auth
from canlian.common.db.metadata import platform_tables
from canlian.org_registry.leadership.models import BodyMember, Term
from canlian.org_registry.models import Base
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import DAXIN, WALU, XINGQING, ZHANGZHENG, event_data, hold_term, register

pytestmark = pytest.mark.postgres


def _member(name: str, role: str = "member", **flags: Any) -> dict[str, Any]:
    return {"name": name, "role": role, **flags}


async def test_a_term_ending_before_it_starts_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    federation = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    response = await hold_term(
        client, county_official, federation["id"], starts_on="2021-06-01", ends_on="2021-05-31"
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/term-ends-before-start")
    assert "2021-05-31" in response.json()["detail"]
    async with runtime_of(org_app).database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Term)) == 0
    current = await client.get(f"/v1/organisations/{federation['id']}", headers=county_official)
    assert current.json()["version"] == 1


async def test_township_leadership_decides_the_full_time_chair_question(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    with_chair = await register(
        client, county_official, name="掌政镇残联", kind="federation", division_code=ZHANGZHENG
    )
    without = await register(
        client, county_official, name="大新镇残联", kind="federation", division_code=DAXIN
    )
    for organisation in (with_chair, without):
        response = await hold_term(
            client,
            county_official,
            organisation["id"],
            starts_on="2022-01-10",
            ends_on="2027-01-09",
        )
        assert response.status_code == 201, response.text
        assert response.json()["number"] == 1
    council = {
        "members": [_member("马建国", "full_time_chair", is_disabled=True, disability_category=4)]
    }
    response = await client.put(
        f"/v1/organisations/{with_chair['id']}/terms/1/bodies/executive_council",
        json=council,
        headers=await if_match(client, f"/v1/organisations/{with_chair['id']}", county_official),
    )
    assert response.status_code == 200, response.text
    assert response.json()["members"][0]["name"] == "马**"
    await client.put(
        f"/v1/organisations/{without['id']}/terms/1/bodies/executive_council",
        json={"members": [_member("李明", "chair")]},
        headers=await if_match(client, f"/v1/organisations/{without['id']}", county_official),
    )
    answer = (
        await client.get(
            "/v1/reports/township-federations-without-full-time-chair",
            params={"division": XINGQING},
            headers=county_official,
        )
    ).json()
    assert [item["id"] for item in answer["items"]] == [without["id"]]

    leadership = (
        await client.get(
            f"/v1/organisations/{without['id']}/leadership",
            headers={**county_official, "Accept-Language": "en"},
        )
    ).json()
    assert leadership["leadership_compliant"] is False
    assert leadership["rules"][0]["rule"] == "township-full-time-chair"
    assert "full-time chair" in leadership["rules"][0]["reason"]

    # Names are stored encrypted, never in events or the audit trail.
    async with runtime_of(org_app).database.session() as session:
        stored = await session.scalars(select(BodyMember.name_encrypted))
        assert all("马建国" not in value for value in stored)
    changes = await event_data(org_app, "leadership.changed")
    assert changes[0]["has_full_time_chair"] is True
    assert changes[0]["disabled_count"] == 1
    assert changes[0]["rules"] == [{"rule": "township-full-time-chair", "met": True}]
    everything = json.dumps(await event_data(org_app, ""), ensure_ascii=False)
    assert "马建国" not in everything
    assert "李明" not in everything
    trail = (
        await client.get(f"/v1/organisations/{with_chair['id']}/changes", headers=county_official)
    ).json()
    assert "马建国" not in json.dumps(trail, ensure_ascii=False)


async def test_an_association_committee_is_checked_and_becomes_compliant(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    association = await register(
        client, county_official, name="洼路村残协", kind="association", division_code=WALU
    )
    await hold_term(
        client, county_official, association["id"], starts_on="2023-03-01", ends_on="2028-02-28"
    )
    url = f"/v1/organisations/{association['id']}/terms/1/bodies/association_committee"
    organisation = f"/v1/organisations/{association['id']}"
    committee = [
        _member("王一", "chair"),
        _member("王二", "vice_chair", is_disabled=True),
        _member("王三", "member", is_relative=True),
        _member("王四", "member"),
    ]
    await client.put(
        url,
        json={"members": committee},
        headers=await if_match(client, organisation, county_official),
    )
    rules = (
        await client.get(
            f"/v1/organisations/{association['id']}/leadership", headers=county_official
        )
    ).json()["rules"]
    failing = {rule["rule"]: rule["reason"] for rule in rules if not rule["met"]}
    assert set(failing) == {
        "association-vice-chairs",
        "association-members",
        "association-full-time-member",
    }
    assert "现有 1 名" in failing["association-vice-chairs"]

    committee += [
        _member("王五", "vice_chair"),
        _member("王六", "member", is_full_time=True, is_disabled=True),
    ]
    response = await client.put(
        url,
        json={"members": committee},
        headers=await if_match(client, organisation, county_official),
    )
    assert response.status_code == 200
    assert len(response.json()["members"]) == 6
    read = (
        await client.get(f"/v1/organisations/{association['id']}", headers=county_official)
    ).json()
    assert read["leadership_compliant"] is True
    snapshots = await event_data(org_app, "organisation.changed")
    assert snapshots[-1]["leadership_compliant"] is True
    assert snapshots[-1]["version"] == read["version"] == 4  # established, term, 2 x committee
    trail = (
        await client.get(f"/v1/organisations/{association['id']}/changes", headers=county_official)
    ).json()["items"]
    last = trail[-1]
    assert last["action"] == "leadership.association_committee.set"
    assert (last["before"]["body"]["members"], last["after"]["body"]["members"]) == (4, 6)
    assert last["after"]["body"]["roles"] == {"chair": 1, "vice_chair": 2, "member": 3}
    assert "王六" not in json.dumps(trail, ensure_ascii=False)

    wrong_body = await client.put(
        f"/v1/organisations/{association['id']}/terms/1/bodies/congress",
        json={"members": committee},
        headers=await if_match(client, f"/v1/organisations/{association['id']}", county_official),
    )
    assert wrong_body.status_code == 422
    assert wrong_body.json()["type"].endswith("/body-not-for-kind")
    no_term = await client.put(
        f"/v1/organisations/{association['id']}/terms/2/bodies/association_committee",
        json={"members": committee},
        headers=await if_match(client, f"/v1/organisations/{association['id']}", county_official),
    )
    assert no_term.status_code == 404
    inconsistent = await client.put(
        url,
        json={"members": [_member("王七", "member", disability_category=1)]},
        headers=await if_match(client, organisation, county_official),
    )
    assert inconsistent.status_code == 422
    assert inconsistent.json()["type"].endswith("/category-without-disability")


async def test_full_names_need_the_scope_and_a_reason_and_are_audited(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
    org_app: FastAPI,
) -> None:
    federation = await register(
        client, county_official, name="掌政镇残联", kind="federation", division_code=ZHANGZHENG
    )
    await hold_term(
        client, county_official, federation["id"], starts_on="2022-01-10", ends_on="2027-01-09"
    )
    await client.put(
        f"/v1/organisations/{federation['id']}/terms/1/bodies/executive_council",
        json={"members": [_member("马建国", "full_time_chair")]},
        headers=await if_match(client, f"/v1/organisations/{federation['id']}", county_official),
    )
    url = f"/v1/organisations/{federation['id']}/leadership"
    masked = (await client.get(url, headers=county_official)).json()
    assert masked["bodies"][0]["members"][0]["name"] == "马**"
    refused = await client.get(f"{url}/unmasked", headers=county_official)
    assert refused.status_code == 403
    allowed = bearer(
        org_settings,
        region=XINGQING,
        subject="auditor-1",
        scopes=[auth.PERSONAL_DATA_READ],
    )
    no_reason = await client.get(f"{url}/unmasked", headers=allowed)
    assert no_reason.status_code == 422
    full = await client.get(
        f"{url}/unmasked",
        headers={**allowed, "X-Access-Reason": "election review of candidates"},
    )
    assert full.status_code == 200
    assert full.json()["bodies"][0]["members"][0]["name"] == "马建国"
    # The deprecated flag still reads them, audited as well.
    flagged = await client.get(
        url,
        params={"unmasked": "true"},
        headers={**allowed, "X-Access-Reason": "election review of candidates"},
    )
    assert flagged.json()["bodies"][0]["members"][0]["name"] == "马建国"
    audit_log = platform_tables(Base.metadata).audit_log
    async with runtime_of(org_app).database.session() as session:
        rows = (await session.execute(select(audit_log.c.actor, audit_log.c.object_id))).all()
    assert [(row.actor, row.object_id) for row in rows] == [("auditor-1", federation["id"])] * 2
