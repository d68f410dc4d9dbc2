"""Registering a county's federations and associations through the API, with the rules of
issue #3 and their bad inputs, on the real PostgreSQL with Ningxia loaded."""

import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common import auth
from canlian.common.db.metadata import platform_tables
from canlian.org_registry.models import Base
from canlian.org_registry.organisations.models import ChangeRecord, Coverage, Organisation
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import (
    CHUNLIN,
    DAXIN,
    WALU,
    XINGQING,
    XINYUE,
    ZHANGZHENG,
    ZHANGZHENG_VILLAGE,
    register,
)

pytestmark = pytest.mark.postgres


async def _federation(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, name: str
) -> dict[str, Any]:
    return await register(
        client,
        headers,
        {"name": name, "kind": "federation", "division_code": code, "established_on": "2010-05-01"},
    )


async def _association(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    village: str,
    covered: list[str] | None = None,
    status: int = 201,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"{village}残协",
        "kind": "association",
        "division_code": village,
    }
    if covered is not None:
        body["covered_divisions"] = covered
    return await register(client, headers, body, status)


async def _counts(app: FastAPI) -> tuple[int, int, int]:
    """(organisations, outbox rows, change records) as the test's transaction sees them."""
    outbox = platform_tables(Base.metadata).outbox
    async with runtime_of(app).database.session() as session:
        organisations = await session.scalar(select(func.count()).select_from(Organisation))
        events = await session.scalar(select(func.count()).select_from(outbox))
        records = await session.scalar(select(func.count()).select_from(ChangeRecord))
    return int(organisations or 0), int(events or 0), int(records or 0)


async def _events(app: FastAPI) -> list[dict[str, Any]]:
    outbox = platform_tables(Base.metadata).outbox
    async with runtime_of(app).database.session() as session:
        rows = await session.scalars(select(outbox.c.envelope).order_by(outbox.c.seq))
        return [json.loads(row) for row in rows]


async def test_a_county_registers_its_federations_and_associations_and_sees_what_is_uncovered(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    county = await _federation(client, county_official, XINGQING, "兴庆区残疾人联合会")
    assert county["parent_organisation_id"] is None  # no city federation registered
    township = await _federation(client, county_official, ZHANGZHENG, "掌政镇残疾人联合会")
    assert township["parent_organisation_id"] == county["id"]
    assert township["level"] == 4
    joint = await _association(client, county_official, ZHANGZHENG_VILLAGE, [CHUNLIN])
    assert joint["covered_divisions"] == [ZHANGZHENG_VILLAGE, CHUNLIN]
    assert joint["parent_organisation_id"] == township["id"]

    summary = (
        await client.get(
            "/v1/reports/coverage", params={"division": ZHANGZHENG}, headers=county_official
        )
    ).json()
    assert summary["villages"] == 13
    assert (summary["covered"], summary["uncovered"]) == (2, 11)

    uncovered: list[str] = []
    cursor = None
    while True:
        params = {"division": ZHANGZHENG, "limit": "5", **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get(
                "/v1/reports/uncovered-villages", params=params, headers=county_official
            )
        ).json()
        uncovered += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(uncovered) == 11
    assert ZHANGZHENG_VILLAGE not in uncovered
    assert CHUNLIN not in uncovered
    assert WALU in uncovered

    events = await _events(org_app)
    types = [event["type"].rsplit(".", 2)[-2:] for event in events]
    assert types.count(["organisation", "established"]) == 3
    assert ["coverage", "changed"] in types
    established = [e for e in events if e["type"].endswith("organisation.established")]
    assert {e["data"]["division_code"] for e in established} == {
        XINGQING,
        ZHANGZHENG,
        ZHANGZHENG_VILLAGE,
    }
    assert all(e["data"]["version"] == 1 for e in established)


async def test_a_later_county_federation_adopts_the_townships_registered_before_it(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    township = await _federation(client, county_official, DAXIN, "大新镇残疾人联合会")
    assert township["parent_organisation_id"] is None
    county = await _federation(client, county_official, XINGQING, "兴庆区残疾人联合会")
    adopted = (
        await client.get(f"/v1/organisations/{township['id']}", headers=county_official)
    ).json()
    assert adopted["parent_organisation_id"] == county["id"]
    assert adopted["version"] == 2
    tree = (
        await client.get(
            "/v1/reports/organisation-tree",
            params={"division": XINGQING},
            headers=county_official,
        )
    ).json()["items"]
    assert [node["id"] for node in tree] == [county["id"]]
    assert [node["id"] for node in tree[0]["children"]] == [township["id"]]
    changed = [e for e in await _events(org_app) if e["type"].endswith("organisation.changed")]
    assert changed[-1]["data"]["parent_organisation_id"] == county["id"]
    assert changed[-1]["data"]["version"] == 2


async def test_an_association_covering_a_village_outside_its_township_is_refused(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    before = await _counts(org_app)
    problem = await _association(client, county_official, ZHANGZHENG_VILLAGE, [XINYUE], 422)
    assert problem["type"].endswith("/coverage-outside-township")
    assert XINYUE in problem["detail"]
    assert ZHANGZHENG in problem["detail"]
    assert await _counts(org_app) == before


async def test_a_village_cannot_be_covered_by_two_associations(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    first = await _association(client, county_official, ZHANGZHENG_VILLAGE, [CHUNLIN])
    before = await _counts(org_app)
    problem = await _association(client, county_official, CHUNLIN, None, 409)
    assert problem["type"].endswith("/village-already-covered")
    assert first["id"] in problem["detail"]
    assert problem["detail"].startswith(f"春林村委会({CHUNLIN}) 已由残协")
    assert await _counts(org_app) == before
    # Changing the first association's coverage frees the village.
    response = await client.patch(
        f"/v1/organisations/{first['id']}",
        json={"covered_divisions": [ZHANGZHENG_VILLAGE]},
        headers=await if_match(client, f"/v1/organisations/{first['id']}", county_official),
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    await _association(client, county_official, CHUNLIN)


async def test_a_federation_at_village_level_is_refused_with_a_hint(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    before = await _counts(org_app)
    body = {"name": "村残联", "kind": "federation", "division_code": WALU}
    problem = await register(client, county_official, body, 422)
    assert problem["type"].endswith("/wrong-level-for-kind")
    assert "kind=association" in problem["detail"]
    english = await client.post(
        "/v1/organisations", json=body, headers={**county_official, "Accept-Language": "en"}
    )
    assert "village" in english.json()["detail"]
    assert await _counts(org_app) == before


@pytest.mark.parametrize(
    ("code", "expected"),
    [("640104100299", "/unknown-division"), ("64010410020x", "/invalid-input")],
)
async def test_unknown_or_malformed_division_codes_are_422(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    org_app: FastAPI,
    code: str,
    expected: str,
) -> None:
    before = await _counts(org_app)
    body = {"name": "残协", "kind": "association", "division_code": code}
    problem = await register(client, county_official, body, 422)
    assert problem["type"].endswith(expected)
    assert code in json.dumps(problem, ensure_ascii=False) or "区划代码无效" in problem["detail"]
    assert await _counts(org_app) == before


async def test_dissolving_an_organisation_with_active_children_is_refused(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    township = await _federation(client, county_official, ZHANGZHENG, "掌政镇残疾人联合会")
    association = await _association(client, county_official, WALU)
    before = await _counts(org_app)
    dissolve = {"dissolved_on": "2024-01-31", "reason": "撤乡并镇"}
    response = await client.post(
        f"/v1/organisations/{township['id']}/dissolution",
        json=dissolve,
        headers=await if_match(client, f"/v1/organisations/{township['id']}", county_official),
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/active-children")
    assert await _counts(org_app) == before

    gone = await client.post(
        f"/v1/organisations/{association['id']}/dissolution",
        json=dissolve,
        headers=await if_match(client, f"/v1/organisations/{association['id']}", county_official),
    )
    assert gone.status_code == 200, gone.text
    assert gone.json()["status"] == "dissolved"
    assert gone.json()["covered_divisions"] == []
    async with runtime_of(org_app).database.session() as session:
        active = await session.scalar(
            select(func.count())
            .select_from(Coverage)
            .where(Coverage.village_code == WALU, Coverage.active.is_(True))
        )
    assert active == 0
    assert (
        await client.post(
            f"/v1/organisations/{township['id']}/dissolution",
            json=dissolve,
            headers=await if_match(client, f"/v1/organisations/{township['id']}", county_official),
        )
    ).status_code == 200
    events = await _events(org_app)
    dissolved = [e for e in events if e["type"] == "cn.canlian.org-registry.organisation.dissolved"]
    assert len(dissolved) == 2
    # Dissolved on a past day: counted in history until that day.
    assert [e["data"]["effective_on"] for e in dissolved] == ["2024-01-31"] * 2


async def test_writes_outside_the_region_are_403_and_reads_look_absent(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
    org_app: FastAPI,
) -> None:
    other_county = bearer(org_settings, roles=[auth.OFFICIAL], region="640106000000")
    response = await client.post(
        "/v1/organisations",
        json={"name": "x", "kind": "federation", "division_code": ZHANGZHENG},
        headers=other_county,
    )
    assert response.status_code == 403
    mine = await _federation(client, county_official, ZHANGZHENG, "掌政镇残疾人联合会")
    assert (
        await client.get(f"/v1/organisations/{mine['id']}", headers=other_county)
    ).status_code == 404
    listed = (await client.get("/v1/organisations", headers=other_county)).json()
    assert listed["items"] == []
    assert (
        await client.get(
            "/v1/reports/uncovered-villages",
            params={"division": ZHANGZHENG},
            headers=other_county,
        )
    ).status_code == 404


async def test_idempotent_retry_registers_once_and_the_audit_trail_has_before_and_after(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"name": "掌政镇残疾人联合会", "kind": "federation", "division_code": ZHANGZHENG}
    first = await client.post("/v1/organisations", json=body, headers={**county_official, **key})
    again = await client.post("/v1/organisations", json=body, headers={**county_official, **key})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    duplicate = await client.post("/v1/organisations", json=body, headers=county_official)
    assert duplicate.status_code == 409
    assert duplicate.json()["type"].endswith("/federation-exists")

    organisation_id = first.json()["id"]
    patch = {"standardisation": {"has_sign": True, "has_seal": True}, "name": "掌政镇残联"}
    changed = await client.patch(
        f"/v1/organisations/{organisation_id}",
        json=patch,
        headers=await if_match(client, f"/v1/organisations/{organisation_id}", county_official),
    )
    assert changed.json()["standardisation"]["has_sign"] is True
    assert "sign" not in changed.json()["failing_items"]
    assert "staff" in changed.json()["failing_items"]
    trail = (
        await client.get(f"/v1/organisations/{organisation_id}/changes", headers=county_official)
    ).json()["items"]
    assert [item["action"] for item in trail] == [
        "organisation.established",
        "organisation.changed",
    ]
    assert trail[1]["actor"] == "xq-official"
    assert trail[1]["before"]["name"] == "掌政镇残疾人联合会"
    assert trail[1]["after"]["name"] == "掌政镇残联"
    assert trail[1]["after"]["standardisation"]["has_seal"] is True


async def test_groups_sit_under_the_association_covering_their_village(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    group = {"name": "洼路村第一残疾人小组", "kind": "group", "division_code": WALU}
    orphan = await register(client, county_official, group, 409)
    assert orphan["type"].endswith("/no-association-for-group")
    association = await _association(client, county_official, ZHANGZHENG_VILLAGE, [WALU])
    first = await register(client, county_official, group)
    second = await register(client, county_official, {**group, "name": "洼路村第二残疾人小组"})
    assert first["parent_organisation_id"] == second["parent_organisation_id"] == association["id"]
    assert first["covered_divisions"] == []  # groups do not count as coverage
    refused = await client.post(
        f"/v1/organisations/{association['id']}/dissolution",
        json={"dissolved_on": "2024-01-31", "reason": "合并"},
        headers=await if_match(client, f"/v1/organisations/{association['id']}", county_official),
    )
    assert refused.status_code == 409
    assert "2" in refused.json()["detail"]


async def test_special_and_enterprise_associations_sit_at_their_levels(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    city = await _federation(client, official, "640100000000", "银川市残疾人联合会")
    deaf = await register(
        client,
        official,
        {
            "name": "银川市聋人协会",
            "kind": "special_association",
            "division_code": "640100000000",
            "special_category": "deaf",
        },
    )
    assert deaf["parent_organisation_id"] == city["id"]
    township_level = await register(
        client,
        official,
        {
            "name": "镇聋协",
            "kind": "special_association",
            "division_code": ZHANGZHENG,
            "special_category": "deaf",
        },
        422,
    )
    assert township_level["type"].endswith("/wrong-level-for-kind")
    enterprise = await register(
        client,
        official,
        {"name": "某福利企业残协", "kind": "enterprise_association", "division_code": XINGQING},
    )
    assert enterprise["parent_organisation_id"] == city["id"]
    assert enterprise["leadership_compliant"] is True  # no composition rule applies


async def test_the_openapi_document_describes_every_route(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    paths = document["paths"]
    for path in (
        "/v1/divisions",
        "/v1/divisions/{code}/children",
        "/v1/division-changes",
        "/v1/organisations/{organisation_id}/terms/{number}/bodies/{body_kind}",
        "/v1/reports/uncovered-villages",
        "/v1/reports/elections-due",
    ):
        assert path in paths
    fields = document["components"]["schemas"]["OrganisationCreate"]["properties"]
    assert "区划" in fields["division_code"]["description"]


async def test_snapshots_have_the_shape_of_the_events_for_reconciliation(
    client: httpx.AsyncClient, county_official: dict[str, str], org_app: FastAPI
) -> None:
    await _federation(client, county_official, ZHANGZHENG, "掌政镇残疾人联合会")
    joint = await _association(client, county_official, ZHANGZHENG_VILLAGE, [CHUNLIN])
    page = (
        await client.get(
            "/v1/organisation-snapshots", params={"within": ZHANGZHENG}, headers=county_official
        )
    ).json()
    snapshots = {item["organisation_id"]: item for item in page["items"]}
    assert len(snapshots) == 2
    latest_events = {
        event["data"]["organisation_id"]: event["data"]
        for event in await _events(org_app)
        if event["type"].split(".")[-2] == "organisation"
    }
    # The federation was registered with its founding date: its event states that date for
    # history; the snapshots are the state alone.
    stated = {key: data.pop("effective_on", None) for key, data in latest_events.items()}
    assert sorted(stated.values(), key=str) == ["2010-05-01", None]
    assert snapshots == latest_events
    assert snapshots[joint["id"]]["covered_divisions"] == [ZHANGZHENG_VILLAGE, CHUNLIN]


async def test_a_corrected_founding_date_moves_the_coverage_start_with_it(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    association = await _association(client, county_official, CHUNLIN)
    params = {"division": ZHANGZHENG, "as_of": "2020-06-30"}
    past = await client.get("/v1/reports/coverage", params=params, headers=county_official)
    assert past.json()["covered"] == 0  # registered today without a founding date
    response = await client.patch(
        f"/v1/organisations/{association['id']}",
        json={"established_on": "2018-04-01"},
        headers=await if_match(client, f"/v1/organisations/{association['id']}", county_official),
    )
    assert response.status_code == 200
    past = await client.get("/v1/reports/coverage", params=params, headers=county_official)
    assert past.json()["covered"] == 1
