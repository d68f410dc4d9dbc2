"""The kept gap rankings equal a freshly computed ranking after events, after target changes
and after division loads: the stored rows equal a rebuild from scratch, and the drill-down
read off them answers what the evaluation of every region in Python answers (as of today).
Real PostgreSQL."""

from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from canlian.common.events.org_registry import OrganisationStatus
from canlian.metrics.contributions import mappers
from canlian.metrics.days import BEIJING
from canlian.metrics.rankings import keeping
from canlian.metrics.rankings import repository as rankings_repository
from canlian.metrics.rollups import denominators
from canlian.testing.services import if_match, runtime_of

from ..conftest import (
    CHENGGUAN,
    COVERAGE,
    GANSU,
    QILIHE,
    QILIHE_TOWNSHIP,
    VILLAGE_A,
    VILLAGE_C,
    VILLAGE_D,
    Apply,
    create_plan,
    organisation,
)

pytestmark = pytest.mark.postgres

PLAN = "gs-12th"
PATH = f"/v1/regions/{GANSU}/indicators/{COVERAGE}/children"
VILLAGE_F = "620103001004"
TARGETS = "/v1/plans/gs-12th/targets"

Ranks = dict[str, tuple[int, int, float, int, float]]


async def stored(app: FastAPI) -> Ranks:
    async with runtime_of(app).database.session() as session:
        return await keeping.stored_ranks(session, PLAN, COVERAGE)


async def rebuilt(app: FastAPI) -> Ranks:
    """The plan's rankings built from scratch (in the test's transaction)."""
    async with runtime_of(app).database.session() as session:
        await keeping.rebuild_plan(session, PLAN)
        return await keeping.stored_ranks(session, PLAN, COVERAGE)


async def ranked(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[tuple[str, str, float | None]]:
    items: list[tuple[str, str, float | None]] = []
    cursor = None
    while True:
        query = {"plan": PLAN, "limit": 2, **params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(PATH, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += [
            (child["region"]["code"], child["value"]["status"], child["value"]["gap"])
            for child in body["children"]
        ]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def assert_fresh(app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str]) -> Ranks:
    """The kept rows equal a rebuild, and every level's drill-down (final and mid-term) read
    off them equals the Python evaluation of the whole level."""
    kept = await stored(app)
    today = datetime.now(BEIJING).date().isoformat()
    for level in ("county", "township", "village"):
        for milestone in ("final", "midterm"):
            live = await ranked(client, headers, level=level, milestone=milestone)
            python = await ranked(client, headers, level=level, milestone=milestone, as_of=today)
            assert live == python, (level, milestone)
    assert kept == await rebuilt(app)
    return kept


async def test_events_move_the_ranks_of_the_divisions_they_touch(
    rollback: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    gansu: None,
    apply: Apply,
) -> None:
    await create_plan(client, official)
    before = await assert_fresh(rollback, client, official)
    # Qilihe's target is 50%: village D is behind by 50 (no association).
    assert before[VILLAGE_D][1:3] == (0, -50.0)
    assert {level for level, *_ in before.values()} == {1, 2, 3, 4, 5}
    await apply(
        organisation("d1", division=VILLAGE_D),
        organisation("a1", version=2, status=OrganisationStatus.DISSOLVED),
    )
    after = await assert_fresh(rollback, client, official)
    assert after[VILLAGE_D][1:3] == (3, 0.0)  # met
    assert after[VILLAGE_A][1:3] == (0, -100.0)  # Gansu's 100%, nothing left there
    assert after[QILIHE_TOWNSHIP] != before[QILIHE_TOWNSHIP]


async def test_target_changes_rebuild_the_plans_rankings(
    rollback: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    gansu: None,
) -> None:
    await create_plan(client, official)
    await assert_fresh(rollback, client, official)
    change = {
        "targets": [
            {"indicator": COVERAGE, "region": CHENGGUAN, "comparator": "ge", "final_value": 40},
            # Townships of Gansu only: villages keep the general targets.
            {
                "indicator": COVERAGE,
                "region": GANSU,
                "comparator": "ge",
                "final_value": 90,
                "applies_to": "township",
            },
        ]
    }
    response = await client.put(TARGETS, json=change, headers=official)
    assert response.status_code == 200, response.text
    await assert_fresh(rollback, client, official)
    params = {"indicator": COVERAGE, "region": QILIHE}
    removed = await client.delete(
        TARGETS, params=params, headers=await if_match(client, TARGETS, official)
    )
    assert removed.status_code == 204, removed.text
    kept = await assert_fresh(rollback, client, official)
    # Without Qilihe's 50%, village C (covered) meets Gansu's 100% and D is behind by 100.
    assert kept[VILLAGE_C][1:3] == (3, 0.0)
    assert kept[VILLAGE_D][1:3] == (0, -100.0)
    async with runtime_of(rollback).database.session() as session:
        levels = {level for plan, _, level in await rankings_repository.rankings(session)}
    assert levels == {1, 2, 3, 4, 5}


async def test_a_divisions_load_ranks_the_new_divisions(
    rollback: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    gansu: None,
) -> None:
    await create_plan(client, official)
    await assert_fresh(rollback, client, official)
    village_f = mappers.DivisionRow(VILLAGE_F, "六社区", 5, QILIHE_TOWNSHIP)
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(session, [village_f])
    kept = await assert_fresh(rollback, client, official)
    assert kept[VILLAGE_F][1:3] == (0, -50.0)
    # The bulk load (COPY, set-based) rebuilds every ranking in its unit of work.
    village_g = mappers.DivisionRow("620103001005", "七社区", 5, QILIHE_TOWNSHIP)
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions_in_bulk(session, [village_f, village_g])
    kept = await assert_fresh(rollback, client, official)
    assert kept["620103001005"][1:3] == (0, -50.0)


async def test_an_apportioned_count_is_not_kept_and_ranks_as_before(
    rollback: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    gansu: None,
) -> None:
    await create_plan(client, official)
    volunteers = {
        "targets": [
            {
                "indicator": "registered-volunteers",
                "region": GANSU,
                "comparator": "ge",
                "final_value": 100,
                "apportionment": "villages",
            }
        ]
    }
    response = await client.put(TARGETS, json=volunteers, headers=official)
    assert response.status_code == 200, response.text
    async with runtime_of(rollback).database.session() as session:
        kept = await rankings_repository.rankings(session)
    assert {(indicator, level) for _, indicator, level in kept if indicator != COVERAGE} == {
        ("registered-volunteers", 1)
    }
    path = f"/v1/regions/{GANSU}/indicators/registered-volunteers/children"
    today = datetime.now(BEIJING).date().isoformat()
    for level in ("village", "county"):
        live = await client.get(path, params={"plan": PLAN, "level": level}, headers=official)
        python = await client.get(
            path, params={"plan": PLAN, "level": level, "as_of": today}, headers=official
        )
        assert live.status_code == 200, live.text
        assert live.json()["children"] == python.json()["children"]


async def test_the_drill_down_reads_its_order_off_the_kept_ranking(
    rollback: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    gansu: None,
) -> None:
    await create_plan(client, official)
    first = await ranked(client, official, level="village")
    assert first[0][0] == VILLAGE_D  # behind by 50; A is met
    # Put village A first in the kept rows only: the live order follows them, the Python
    # evaluation (as of today) does not.
    async with runtime_of(rollback).database.session() as session:
        await session.execute(
            text(
                "UPDATE metrics.gap_ranks SET final_rank = 0, final_minus_gap = -1000 "
                "WHERE division_code = :code"
            ),
            {"code": VILLAGE_A},
        )
    moved = await ranked(client, official, level="village")
    assert moved[0][0] == VILLAGE_A
    today = datetime.now(BEIJING).date().isoformat()
    assert await ranked(client, official, level="village", as_of=today) == first
