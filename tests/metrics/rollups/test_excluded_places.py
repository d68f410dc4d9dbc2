"""Development zones and virtual communities in the denominators, on PostgreSQL (rules.
denominators, rollups.excluded_places): by the seed they are left out; a region that counts
them counts them from its value's effective date, in the live totals and in `as_of` queries;
a replay and a rebuild give the same journal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth, policy
from canlian.common.events import members, org_registry
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions import mappers
from canlian.metrics.contributions.members import COMMITTEE_MEMBER
from canlian.metrics.contributions.org_registry import ASSOCIATION_COVERAGE
from canlian.metrics.reconciliation import service as reconciliation
from canlian.metrics.rollups import denominators
from canlian.metrics.rollups import fold as rollups_fold
from canlian.metrics.rollups import policy_values as policies_consumer
from canlian.metrics.rollups.models import DailyChange, DivisionTally
from canlian.testing.services import bearer, runtime_of

from ..conftest import Apply, envelope, organisation

INNER_MONGOLIA = "150000000000"
ORDOS = "150600000000"
OTOG = "150624000000"  # 鄂托克旗
TOWNSHIPS = [
    ("150624100000", "乌兰镇"),
    ("150624101000", "棋盘井镇"),
    ("150624102000", "蒙西镇"),
    ("150624103000", "木凯淖尔镇"),
    ("150624200000", "苏米图苏木"),
    ("150624201000", "阿尔巴斯苏木"),
]
ZONE = "150624404000"  # 内蒙古鄂托克经济开发区
VIRTUAL = "150624404498"  # 棋盘井工业园区虚拟社区
VILLAGES = ["150624100001", "150624100202", "150624200200"]  # 社区, 嘎查, 嘎查
ZONES_COUNTED = policy.DEVELOPMENT_ZONES_COUNTED.name
VIRTUAL_COUNTED = policy.VIRTUAL_COMMUNITIES_COUNTED.name


def otog_rows() -> list[mappers.DivisionRow]:
    rows = [
        mappers.DivisionRow(INNER_MONGOLIA, "内蒙古自治区", 1, "000000000000"),
        mappers.DivisionRow(ORDOS, "鄂尔多斯市", 2, INNER_MONGOLIA),
        mappers.DivisionRow(OTOG, "鄂托克旗", 3, ORDOS),
        *(mappers.DivisionRow(code, name, 4, OTOG) for code, name in TOWNSHIPS),
        mappers.DivisionRow(ZONE, "内蒙古鄂托克经济开发区", 4, OTOG),
        mappers.DivisionRow(VIRTUAL, "棋盘井工业园区虚拟社区", 5, ZONE),
    ]
    rows += [mappers.DivisionRow(code, "嘎查", 5, code[:9] + "000") for code in VILLAGES]
    return rows


def township_member(number: int, township: str) -> members.AppointmentChanged:
    return members.AppointmentChanged(
        appointment_id=f"ap{number}",
        version=2,
        member_id=f"m{number}",
        organisation_id=f"o{number}",
        division_code=township,
        post_level=members.PostLevel.TOWNSHIP,
        post=members.Post.COMMITTEE_MEMBER,
        member_kind=members.MemberKind.COMMITTEE_MEMBER,
        member_disability_relation=members.DisabilityRelation.RELATIVE,
        status=members.AppointmentStatus.ACTIVE,
        status_since=date(2020, 1, 1),
        holds_post=True,
        selection_method=members.SelectionMethod.OPEN_EXAMINATION,
        contract_start=date(2020, 1, 1),
        contract_end=None,
        public_welfare_post=True,
        monthly_allowance_yuan=Decimal(0),
        social_insurance_subsidy=True,
        allowance_minimum_yuan=None,
        allowance_compliant=None,
        served_divisions=[township],
    )


def staffing_events() -> list[Any]:
    """Members at five of the six townships and one at the zone; an association covering the
    virtual community and a real village."""
    found: list[Any] = [township_member(n, code) for n, (code, _) in enumerate(TOWNSHIPS[:5])]
    association = organisation("assoc-zone", division=VIRTUAL, covered=[VIRTUAL, VILLAGES[0]])
    return [*found, township_member(9, ZONE), association]


async def tallies_and_differences(app: FastAPI) -> tuple[dict[tuple[str, str], int], list[Any]]:
    """The place tallies as stored (the facts), and what a reconciliation finds amiss."""
    async with runtime_of(app).database.session() as session:
        rows = await session.execute(
            select(DivisionTally.division_code, DivisionTally.tally, DivisionTally.value)
        )
        report = await reconciliation.reconcile_contributions(session)
    stored = {(code, tally): int(value) for code, tally, value in rows if value}
    return stored, report.differences


def value_set(name: str, region: str, since: date, value: int, version: int) -> Any:
    return envelope(
        org_registry.PolicyValueSet(
            parameter=name,
            division_code=region,
            effective_from=since,
            value=Decimal(value),
            version=version,
        )
    )


async def set_values(app: FastAPI, *events: Any) -> None:
    async with runtime_of(app).database.session() as session:
        await policies_consumer.apply_policy_values(session, list(events))


async def counters(
    client: httpx.AsyncClient, headers: dict[str, str], region: str, on: date | None = None
) -> dict[str, int]:
    params = {"as_of": on.isoformat()} if on else {}
    response = await client.get(f"/v1/regions/{region}/counters", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {item["counter"]: int(item["value"]) for item in response.json()["items"]}


async def journal(app: FastAPI) -> dict[tuple[str, str, date], int]:
    async with runtime_of(app).database.session() as session:
        rows = await session.execute(
            select(
                DailyChange.division_code, DailyChange.counter, DailyChange.day, DailyChange.delta
            )
        )
        found: dict[tuple[str, str, date], int] = {}
        for code, counter, day, delta in rows:
            found[(code, counter, day)] = found.get((code, counter, day), 0) + int(delta)
        return {key: delta for key, delta in found.items() if delta}


async def test_zones_leave_the_township_denominator_from_the_policy_date(
    client: httpx.AsyncClient,
    rollback: FastAPI,
    apply: Apply,
    postgres_settings: PlatformSettings,
) -> None:
    official = bearer(postgres_settings, roles=[auth.OFFICIAL], region=INNER_MONGOLIA)
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(session, otog_rows())
        again = await denominators.load_divisions(session, otog_rows())
    assert again.changed_counters == set()  # a second load adds nothing
    await apply(*staffing_events())

    # The seed: Otog's 经济开发区 is not a township, its 虚拟社区 not a village (5/6, not 5/7);
    # the zone's own member staffs no place of the indicator either.
    otog = await counters(client, official, OTOG)
    assert (otog["committee_member.township"], otog["divisions.township"]) == (5, 6)
    assert otog["divisions.village"] == len(VILLAGES)
    # The virtual community's association covers it and a real village: one covered.
    assert otog["association_coverage.village"] == 1
    # The facts stay as they are (the zone's member, the covered virtual community); only
    # their presence is held off by the gate, and a reconciliation agrees.
    stored, differences = await tallies_and_differences(rollback)
    assert stored[(ZONE, COMMITTEE_MEMBER)] == 1
    assert stored[(VIRTUAL, ASSOCIATION_COVERAGE)] == 1
    assert (stored[(ZONE, mappers.LEFT_OUT)], stored[(VIRTUAL, mappers.LEFT_OUT)]) == (1, 1)
    assert differences == []
    assert (await counters(client, official, INNER_MONGOLIA))["divisions.township"] == 6
    assert (await counters(client, official, ZONE)).get("divisions.township", 0) == 0

    # The banner counts its zones from 2024-03-01; its virtual communities still not.
    await set_values(rollback, value_set(ZONES_COUNTED, OTOG, date(2024, 3, 1), 1, 1))
    live = await counters(client, official, OTOG)
    assert (live["committee_member.township"], live["divisions.township"]) == (6, 7)
    # The members were appointed (journaled) today: on earlier dates only the places count.
    assert (await counters(client, official, ORDOS, date(2024, 2, 29)))["divisions.township"] == 6
    assert (await counters(client, official, ORDOS, date(2024, 3, 1)))["divisions.township"] == 7
    assert (await counters(client, official, OTOG))["divisions.village"] == len(VILLAGES)

    # The province counts virtual communities from 2022; the banner stops counting zones
    # in 2025 (a later value of its own); a value for a later date changes nothing today.
    await set_values(
        rollback,
        value_set(VIRTUAL_COUNTED, INNER_MONGOLIA, date(2022, 1, 1), 1, 1),
        value_set(ZONES_COUNTED, OTOG, date(2025, 1, 1), 0, 2),
        value_set(ZONES_COUNTED, OTOG, date(2099, 1, 1), 1, 3),
    )
    live = await counters(client, official, OTOG)
    assert (live["divisions.township"], live["divisions.village"]) == (6, len(VILLAGES) + 1)
    assert (live["committee_member.township"], live["association_coverage.village"]) == (5, 2)
    stored, differences = await tallies_and_differences(rollback)
    assert (stored[(ZONE, mappers.LEFT_OUT)], stored.get((VIRTUAL, mappers.LEFT_OUT))) == (1, None)
    assert differences == []
    mid = await counters(client, official, OTOG, date(2024, 6, 1))
    assert (mid["divisions.township"], mid["divisions.village"]) == (7, len(VILLAGES) + 1)
    early = await counters(client, official, OTOG, date(2021, 12, 31))
    assert (early["divisions.township"], early["divisions.village"]) == (6, len(VILLAGES))

    # A replayed event journals nothing new; a rebuild journals what the consumer did.
    before = await journal(rollback)
    await set_values(rollback, value_set(ZONES_COUNTED, OTOG, date(2025, 1, 1), 0, 2))
    assert await journal(rollback) == before
    async with runtime_of(rollback).database.session() as session:
        fold = await rollups_fold.fold_divisions(session)
    fold.add_events([envelope(event) for event in staffing_events()])
    async with runtime_of(rollback).database.session() as session:
        await rollups_fold.save_fold(session, fold)
    assert await journal(rollback) == before
