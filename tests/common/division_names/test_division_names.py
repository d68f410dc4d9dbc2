"""The kit's division names: kept from the registry's events and dataset, newest version
winning, and read into a problem's parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, select

from canlian.common.db.database import Database
from canlian.common.division_names.dataset import DivisionRow
from canlian.common.division_names.events import names_keeper
from canlian.common.division_names.labels import DivisionNames
from canlian.common.division_names.repository import keep_names, names_of
from canlian.common.division_names.table import LOADED_VERSION, division_names_table
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import DivisionChanged, DivisionChangeKind
from canlian.common.settings import PlatformSettings

SCHEMA = "names_test"
OTOG = "150624000000"
BAYANHUA = "150624104000"


@pytest.fixture
async def names(tmp_path: Path) -> AsyncIterator[tuple[Database, Table]]:
    settings = PlatformSettings(canlian_data_dir=tmp_path, database_url=None)
    database = Database(settings, SCHEMA)
    table = division_names_table(MetaData(schema=SCHEMA))
    async with database.engine.begin() as connection:
        await connection.run_sync(table.metadata.create_all)
    yield database, table
    await database.dispose()


def renamed(code: str, name: str, version: int) -> CloudEvent:
    event = DivisionChanged(
        change_id=str(version),
        version=version,
        change=DivisionChangeKind.RENAMED,
        code=code,
        level=4,
        parent_code=OTOG,
        effective_on=date(2026, 1, 1),
        name=name,
    )
    return CloudEvent.wrap(event, source="/canlian/org-registry")


async def stored(database: Database, table: Table) -> dict[str, tuple[str, int]]:
    async with database.read_session() as session:
        rows = await session.execute(select(table.c.code, table.c.name, table.c.version))
        return {code: (name, version) for code, name, version in rows}


async def test_a_rename_outlives_a_replay_and_a_second_dataset_load(
    names: tuple[Database, Table],
) -> None:
    database, table = names
    loaded = DivisionRow(BAYANHUA, "阿尔巴斯苏木", 4, OTOG)
    async with database.session() as session:
        await keep_names(session, table, [(*_row(loaded), LOADED_VERSION)])
    keep = names_keeper(table)
    async with database.session() as session:
        await keep(session, [renamed(BAYANHUA, "阿尔巴斯镇", 2)])
    async with database.session() as session:
        await keep(session, [renamed(BAYANHUA, "旧名苏木", 1)])  # an older version, replayed
        await keep_names(session, table, [(*_row(loaded), LOADED_VERSION)])
    assert await stored(database, table) == {BAYANHUA: ("阿尔巴斯镇", 2)}


async def test_one_batch_may_name_a_code_twice_and_the_newest_wins(
    names: tuple[Database, Table],
) -> None:
    database, table = names
    async with database.session() as session:
        await names_keeper(table)(
            session, [renamed(BAYANHUA, "新名镇", 3), renamed(BAYANHUA, "旧名镇", 2)]
        )
        assert await names_of(session, table, {BAYANHUA, "150624105000"}) == {BAYANHUA: "新名镇"}


async def test_problem_parameters_name_known_divisions_and_leave_the_rest(
    names: tuple[Database, Table],
) -> None:
    database, table = names
    async with database.session() as session:
        await keep_names(session, table, [(OTOG, "鄂托克旗", 3, LOADED_VERSION)])
    labelled = await DivisionNames(database, table).labelled(
        {
            "division_code": OTOG,
            "scope": "000000000000",
            "region": "150624999000",  # not known here: the code alone
            "county": "not a code",
            "organisation_id": "150624000000",  # not a division parameter
        }
    )
    assert labelled == {
        "division_code": "鄂托克旗(150624000000)",
        "scope": "全国(000000000000)",
        "region": "150624999000",
        "county": "not a code",
        "organisation_id": "150624000000",
    }


async def test_a_problem_is_still_answered_when_the_names_cannot_be_read(
    names: tuple[Database, Table],
) -> None:
    database, table = names
    async with database.engine.begin() as connection:
        await connection.run_sync(table.metadata.drop_all)
    labelled = await DivisionNames(database, table).labelled({"division_code": OTOG})
    assert labelled == {"division_code": OTOG}


def _row(row: DivisionRow) -> tuple[str, str, int]:
    return row.code, row.name, row.level
