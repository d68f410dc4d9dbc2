"""The set-based division load on PostgreSQL (`load_divisions_in_bulk`) writes what the rollup
engine's load writes (divisions, entity states, counters, journal), counts a division once,
takes renamed, moved and new divisions on a later load, and writes nothing when nothing
changed."""

from collections import Counter
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from canlian.common import divisions
from canlian.metrics.contributions.divisions import division_entity_key
from canlian.metrics.contributions.mappers import DivisionRow
from canlian.metrics.hierarchy import LEVEL_NAMES
from canlian.metrics.rollups import denominators
from canlian.metrics.rollups.engine import Change, apply_changes
from canlian.testing.services import rolled_back, runtime_of

from ..conftest import DIVISIONS, TOWNSHIP, VILLAGE_A

# Gansu's two counties, and a city without counties whose townships hang under the city.
DONGGUAN = [
    ("440000000000", "广东省", 1, divisions.NATION),
    ("441900000000", "东莞市", 2, "440000000000"),
    ("441900003000", "东城街道", 4, "441900000000"),
    ("441900003001", "一社区", 5, "441900003000"),
    ("441900003002", "二社区", 5, "441900003000"),
]
ROWS = [DivisionRow(*row) for row in [*DIVISIONS, *DONGGUAN]]

SNAPSHOT = {
    "divisions": "SELECT code, name, level, parent_code FROM metrics.divisions",
    "states": "SELECT entity_key, version, contribution::text, steps::text, event_type "
    "FROM metrics.entity_states",
    "counters": "SELECT division_code, counter, value FROM metrics.counters",
    "journal": "SELECT division_code, counter, day, delta FROM metrics.daily_changes",
}


async def snapshot(app: FastAPI, *, versions: bool = False) -> dict[str, set[Any]]:
    """Every row of the tables a load writes; with `versions`, each row's xmin (the
    transaction, here the savepoint, that last wrote it)."""
    found: dict[str, set[Any]] = {}
    async with runtime_of(app).database.session() as session:
        for name, query in SNAPSHOT.items():
            if versions:
                query = query.replace("SELECT ", "SELECT xmin::text, ", 1)
            found[name] = {tuple(row) for row in await session.execute(text(query))}
    return found


async def bulk(app: FastAPI, rows: list[DivisionRow]) -> denominators.DivisionLoadOutcome:
    async with runtime_of(app).database.session() as session:
        assert denominators.loads_in_bulk(session)
        return await denominators.load_divisions_in_bulk(session, iter(rows))


def lineage_counts(rows: list[DivisionRow]) -> Counter[tuple[str, str]]:
    """What the counters hold: each division once at itself and at every ancestor."""
    expected: Counter[tuple[str, str]] = Counter()
    for row in rows:
        counter = f"divisions.{LEVEL_NAMES[divisions.level_of(row.code)]}"
        for code in divisions.lineage(row.code):
            expected[(code, counter)] += 1
    return expected


async def test_the_bulk_load_writes_what_the_engine_writes(metrics_app: FastAPI) -> None:
    async with rolled_back(metrics_app):
        async with runtime_of(metrics_app).database.session() as session:
            await denominators.load_divisions(session, ROWS)
        by_engine = await snapshot(metrics_app)
    async with rolled_back(metrics_app):
        outcome = await bulk(metrics_app, ROWS)
        by_bulk = await snapshot(metrics_app)
    assert outcome.added == len(ROWS)
    assert outcome.counted == len(ROWS)
    assert by_bulk == by_engine
    counters = {(code, name): value for code, name, value in by_bulk["counters"]}
    assert counters == dict(lineage_counts(ROWS))
    # Dongguan's townships count once at the city (its county prefix is the city again).
    assert counters[("441900000000", "divisions.township")] == 1
    assert counters[(divisions.NATION, "divisions.village")] == 7


async def test_a_second_load_of_the_same_rows_writes_nothing(rollback: FastAPI) -> None:
    await bulk(rollback, ROWS)
    before = await snapshot(rollback, versions=True)
    outcome = await bulk(rollback, ROWS)
    assert outcome == denominators.DivisionLoadOutcome(0, 0, 0, 0)
    assert await snapshot(rollback, versions=True) == before


async def test_renamed_moved_and_new_divisions_on_a_later_load(rollback: FastAPI) -> None:
    await bulk(rollback, ROWS)
    renamed = DivisionRow(VILLAGE_A, "一村", 5, TOWNSHIP)
    moved = DivisionRow("441900003002", "二社区", 5, "441900000000")
    new = DivisionRow("620102001009", "九社区", 5, TOWNSHIP)
    later = [row for row in ROWS if row.code not in {renamed.code, moved.code}] + [
        renamed,
        moved,
        new,
    ]
    outcome = await bulk(rollback, later)
    assert (outcome.added, outcome.changed, outcome.counted) == (1, 2, 1)
    after = await snapshot(rollback)
    assert (VILLAGE_A, "一村", 5, TOWNSHIP) in after["divisions"]
    assert ("441900003002", "二社区", 5, "441900000000") in after["divisions"]
    counters = {(code, name): value for code, name, value in after["counters"]}
    assert counters == dict(lineage_counts([*ROWS, new]))
    journal = Counter[tuple[str, str]]()
    for code, name, _day, delta in after["journal"]:
        journal[(code, name)] += delta
    assert journal == lineage_counts([*ROWS, new])


async def test_a_division_an_event_already_changed_is_not_counted_again(
    rollback: FastAPI,
) -> None:
    # Merged away by the registry (version 3, contributes nothing) before the dataset loads.
    async with runtime_of(rollback).database.session() as session:
        await apply_changes(
            session,
            [
                Change(
                    division_entity_key(VILLAGE_A),
                    3,
                    {},
                    "cn.canlian.org-registry.division.changed",
                    denominators.DIVISIONS_COUNTED_FROM,
                )
            ],
        )
    outcome = await bulk(rollback, ROWS)
    assert outcome.counted == len(ROWS) - 1
    counters = {(code, name): value for code, name, value in (await snapshot(rollback))["counters"]}
    assert counters[(TOWNSHIP, "divisions.village")] == 1
    assert counters == dict(lineage_counts([row for row in ROWS if row.code != VILLAGE_A]))
