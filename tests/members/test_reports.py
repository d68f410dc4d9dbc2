"""Allowance policy, vacancies, contracts, training and assessments: the questions officials
ask, on a real PostgreSQL."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common.events.base import CloudEvent
from canlian.common.events.members import AppointmentChanged
from canlian.testing.services import runtime_of

from .conftest import (
    COUNTY,
    OTHER_TOWNSHIP,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    VILLAGE_2,
    SeedOrganisation,
    appointment_body,
    member_body,
)

pytestmark = pytest.mark.postgres


async def _appoint(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    sequence: int,
    organisation_id: str,
    division_code: str = VILLAGE,
    **appointment: object,
) -> dict[str, object]:
    member = await client.post(
        "/v1/members", json=member_body(sequence, division_code=division_code), headers=headers
    )
    assert member.status_code == 201, member.text
    response = await client.post(
        f"/v1/members/{member.json()['id']}/appointments",
        json=appointment_body(organisation_id, **appointment),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def _all(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: str
) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await client.get(path, params=query, headers=headers)
        assert page.status_code == 200, page.text
        items.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


async def test_nearest_regional_minimum_applies_and_changes_republish(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    postgres_settings: object,
    members_app: FastAPI,
) -> None:
    from canlian.common import auth
    from canlian.testing.services import bearer

    await seed_organisation("org-v1", division_code=VILLAGE)
    await seed_organisation("org-v2", division_code=OTHER_VILLAGE)
    sixty = await _appoint(client, official, 1, "org-v1", monthly_allowance_yuan="60")
    hundred = await _appoint(client, official, 2, "org-v2", monthly_allowance_yuan="100")
    assert sixty["allowance_compliant"] is None  # no policy yet: not judged

    province = bearer(postgres_settings, roles=[auth.OFFICIAL], region="620000000000")  # type: ignore[arg-type]
    saved = await client.put(
        "/v1/allowance-minimums/62/village",
        json={"monthly_minimum_yuan": "100", "basis": "甘肃省“十二五”残疾人组织建设规划"},
        headers=province,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["appointments_rechecked"] == 2
    assert saved.json()["compliance_changed"] == 2
    non_compliant = await _all(client, "/v1/reports/allowance-non-compliance", official)
    assert [item["id"] for item in non_compliant] == [sixty["id"]]
    assert non_compliant[0]["allowance_minimum_yuan"] == "100.00"

    # A county may set its own figure (60 yuan in seed 003); the nearer region wins there.
    county = await client.put(
        "/v1/allowance-minimums/620102001/village",
        json={"monthly_minimum_yuan": "60"},
        headers=official,
    )
    assert county.json()["compliance_changed"] == 1
    assert await _all(client, "/v1/reports/allowance-non-compliance", official) == []
    other = (await client.get(f"/v1/appointments/{hundred['id']}", headers=official)).json()
    assert other["allowance_minimum_yuan"] == "100.00"
    assert other["allowance_compliant"] is True
    # A county clerk cannot set the province's policy.
    refused = await client.put(
        "/v1/allowance-minimums/62/village", json={"monthly_minimum_yuan": "1"}, headers=official
    )
    assert refused.status_code == 403


async def test_allowance_below_minimum_is_recorded_as_it_is(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await client.put(
        "/v1/allowance-minimums/620102/village",
        json={"monthly_minimum_yuan": "100"},
        headers=official,
    )
    await seed_organisation("org-v1")
    appointment = await _appoint(client, official, 3, "org-v1", monthly_allowance_yuan="30.50")
    assert appointment["monthly_allowance_yuan"] == "30.50"
    assert appointment["allowance_compliant"] is False
    raised = await client.patch(
        f"/v1/appointments/{appointment['id']}",
        json={"monthly_allowance_yuan": "120"},
        headers=official,
    )
    assert raised.json()["allowance_compliant"] is True
    assert raised.json()["version"] == 2


async def test_vacancies_and_the_township_summary(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("fed-t1", kind="federation", level=4, division_code=TOWNSHIP)
    await seed_organisation("fed-t2", kind="federation", level=4, division_code=OTHER_TOWNSHIP)
    # A joint association covering two villages, and a village association of its own.
    await seed_organisation("assoc-joint", division_code=VILLAGE, covered=[VILLAGE, VILLAGE_2])
    await seed_organisation("assoc-other", division_code=OTHER_VILLAGE)
    await seed_organisation("assoc-gone", division_code="620102002009", dissolved=True)
    await _appoint(client, official, 4, "fed-t1", division_code=TOWNSHIP, public_welfare_post=True)
    await _appoint(client, official, 5, "assoc-joint", monthly_allowance_yuan="50")
    suspended = await _appoint(client, official, 6, "assoc-other", division_code=OTHER_VILLAGE)
    await client.post(
        f"/v1/appointments/{suspended['id']}/transitions",
        json={"status": "suspended", "effective_on": "2025-03-01", "reason": "病休"},
        headers=official,
    )
    vacant = await _all(client, "/v1/reports/vacancies", official)
    assert [(item["division_code"], item["level"]) for item in vacant] == [
        (OTHER_TOWNSHIP, "township"),
        (OTHER_VILLAGE, "village"),  # suspended is not at work
    ]
    villages = await _all(client, "/v1/reports/vacancies", official, level="village")
    assert [item["division_code"] for item in villages] == [OTHER_VILLAGE]
    await client.put(
        "/v1/allowance-minimums/620102/village",
        json={"monthly_minimum_yuan": "100"},
        headers=official,
    )
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()
    assert summary == [
        {
            "township_code": TOWNSHIP,
            "places": 3,
            "vacancies": 0,
            "active_committee_members": 2,
            "allowance_non_compliant": 1,
            "public_welfare_posts": 1,
        },
        {
            "township_code": OTHER_TOWNSHIP,
            "places": 2,
            "vacancies": 2,
            "active_committee_members": 0,
            "allowance_non_compliant": 0,
            "public_welfare_posts": 0,
        },
    ]
    too_wide = await client.get(
        "/v1/reports/by-township", params={"region": "62"}, headers=official
    )
    assert too_wide.status_code == 403  # outside the county clerk's scope


async def test_contracts_ending_within_n_days(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    for number, end in enumerate(("2026-01-10", "2026-02-20", "2026-06-30"), start=1):
        await seed_organisation(f"org-{number}", division_code=f"62010200100{number}")
        await _appoint(
            client,
            official,
            10 + number,
            f"org-{number}",
            contract_end=end,
            division_code=f"62010200100{number}",
        )
    ending = await _all(
        client, "/v1/reports/contracts-ending", official, as_of="2026-01-01", within_days="60"
    )
    assert [item["contract_end"] for item in ending] == ["2026-01-10", "2026-02-20"]
    overdue = await _all(
        client,
        "/v1/reports/contracts-ending",
        official,
        as_of="2026-03-01",
        within_days="0",
        include_overdue="true",
    )
    assert [item["contract_end"] for item in overdue] == ["2026-01-10", "2026-02-20"]


async def test_training_coverage_and_untrained_in_the_plan_period(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-1", division_code=VILLAGE)
    await seed_organisation("org-2", division_code=VILLAGE_2)
    trained = await _appoint(client, official, 21, "org-1")
    untrained = await _appoint(client, official, 22, "org-2", division_code=VILLAGE_2)
    old = await client.post(
        f"/v1/members/{untrained['member_id']}/trainings",
        json={
            "course": "专职委员岗前培训",
            "hours": "16",
            "held_on": "2024-05-10",
            "organiser": "城关区残联",
        },
        headers=official,
    )
    assert old.status_code == 201
    assert old.json()["plan_period"] == "十四五"
    recent = await client.post(
        f"/v1/members/{trained['member_id']}/trainings",
        json={
            "course": "残疾人证办理实务",
            "hours": "8",
            "held_on": "2026-03-02",
            "organiser": "兰州市残联",
        },
        headers=official,
    )
    assert recent.json()["plan_period"] == "十五五"
    missing = await _all(client, "/v1/reports/untrained", official, as_of="2026-06-30")
    assert [item["id"] for item in missing] == [untrained["member_id"]]
    coverage = (
        await client.get(
            "/v1/reports/training-coverage", params={"as_of": "2026-06-30"}, headers=official
        )
    ).json()
    assert coverage["plan_period"]["name"] == "十五五"
    assert (coverage["workers"], coverage["trained"], coverage["person_times"]) == (2, 1, 1)
    assert coverage["coverage"] == 0.5
    future = await client.post(
        f"/v1/members/{trained['member_id']}/trainings",
        json={
            "course": "未来课程",
            "hours": "8",
            "held_on": "2099-01-01",
            "organiser": "城关区残联",
        },
        headers=official,
    )
    assert future.status_code == 422


async def test_annual_assessment_once_a_year(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-1")
    appointment = await _appoint(client, official, 30, "org-1")
    body = {
        "year": 2025,
        "performance_score": "88.5",
        "evaluation_score": "92",
        "grade": "excellent",
    }
    first = await client.post(
        f"/v1/appointments/{appointment['id']}/assessments", json=body, headers=official
    )
    assert first.status_code == 201
    assert first.json()["grade"] == "excellent"
    again = await client.post(
        f"/v1/appointments/{appointment['id']}/assessments", json=body, headers=official
    )
    assert again.status_code == 409
    bad = await client.post(
        f"/v1/appointments/{appointment['id']}/assessments",
        json={**body, "year": 2024, "performance_score": "101"},
        headers=official,
    )
    assert bad.status_code == 422
    listed = await _all(client, "/v1/assessments", official, year="2025")
    assert [item["id"] for item in listed] == [first.json()["id"]]


async def test_talent_pool_against_the_county_target(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    for sequence in range(40, 43):
        await client.post(
            "/v1/members",
            json=member_body(sequence, in_talent_pool=True, reserve_cadre=sequence == 40),
            headers=official,
        )
    summary = (await client.get("/v1/reports/talent-pool", headers=official)).json()
    assert summary == {
        "region": COUNTY,
        "in_talent_pool": 3,
        "reserve_cadres": 1,
        "target": 30,
        "target_met": False,
    }


async def test_snapshots_match_the_last_events_for_reconciliation(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-1")
    appointment = await _appoint(client, official, 70, "org-1")
    await client.post(
        f"/v1/appointments/{appointment['id']}/transitions",
        json={"status": "suspended", "effective_on": "2025-04-01", "reason": "病休"},
        headers=official,
    )
    await client.post(
        f"/v1/members/{appointment['member_id']}/trainings",
        json={"course": "岗前培训", "hours": "4.5", "held_on": "2025-05-01", "organiser": "区残联"},
        headers=official,
    )
    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        envelopes = [
            CloudEvent.model_validate_json(row)
            for row in await session.scalars(
                select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
            )
        ]
    last: dict[str, dict[str, object]] = {}
    for envelope in envelopes:
        kind = envelope.type.rsplit(".", 1)[0]
        last[f"{kind}:{envelope.subject}"] = envelope.data
    for path, kind in (
        ("/v1/appointment-snapshots", "cn.canlian.members.appointment"),
        ("/v1/member-snapshots", "cn.canlian.members.member"),
        ("/v1/training-snapshots", "cn.canlian.members.training"),
    ):
        items = await _all(client, path, official, within=COUNTY)
        assert len(items) == 1
        subject = next(str(value) for key, value in items[0].items() if key.endswith("_id"))
        assert items[0] == last[f"{kind}:{subject}"], path
    snapshot = (await client.get("/v1/appointment-snapshots", headers=official)).json()["items"][0]
    assert AppointmentChanged.model_validate(snapshot).status == "suspended"
    outside = await client.get(
        "/v1/appointment-snapshots", params={"within": "330604"}, headers=official
    )
    assert outside.status_code == 403


async def test_posts_held_at_a_dissolved_organisation_are_listed(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-1")
    await seed_organisation("org-2", division_code=VILLAGE_2)
    held = await _appoint(client, official, 80, "org-1")
    await _appoint(client, official, 81, "org-2", division_code=VILLAGE_2)
    await seed_organisation("org-1", version=2, dissolved=True)
    listed = await _all(client, "/v1/reports/posts-at-dissolved-organisations", official)
    assert [item["id"] for item in listed] == [held["id"]]
