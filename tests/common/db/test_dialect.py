"""The dialect-specific statements give the same results on PostgreSQL and SQLite."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from canlian.common.db.database import Database, ensure_schema
from canlian.common.db.dialect import (
    add_rows,
    insert_ignoring_conflicts,
    insert_in_bulk,
    insert_objects,
    matching,
    reserve_ids,
)
from canlian.common.db.metadata import BigIntegerKey, UtcDateTime
from canlian.common.settings import PlatformSettings

metadata = MetaData(schema="dialect_test")
counters = Table(
    "counters",
    metadata,
    Column("division_code", String(12), primary_key=True),
    Column("counter", String(50), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("value", Integer, nullable=False),
)


async def _fresh(settings: PlatformSettings, tables: MetaData) -> Database:
    """A database whose schema holds these tables, empty."""
    assert tables.schema is not None
    database = Database(settings, tables.schema)
    await ensure_schema(database.engine, tables.schema)
    async with database.engine.begin() as connection:
        await connection.run_sync(tables.drop_all)
        await connection.run_sync(tables.create_all)
    return database


async def _exercise(settings: PlatformSettings) -> None:
    database = await _fresh(settings, metadata)
    day = date(2025, 1, 1)
    rows = [
        {"division_code": "620000000000", "counter": "cards", "day": day, "value": 2},
        {"division_code": "620100000000", "counter": "cards", "day": day, "value": 1},
    ]
    try:
        async with database.session() as session:
            await add_rows(session, counters, ["division_code", "counter", "day"], ["value"], rows)
            await add_rows(
                session, counters, ["division_code", "counter", "day"], ["value"], rows[:1]
            )
            await add_rows(session, counters, ["division_code", "counter", "day"], ["value"], [])
        async with database.read_session() as session:
            stored = dict(
                (await session.execute(select(counters.c.division_code, counters.c.value))).all()
            )
            statement = insert_ignoring_conflicts(
                session, counters, ["division_code", "counter", "day"]
            )
            await session.execute(statement, [{**rows[0], "value": 100}])
            unchanged = await session.scalar(
                select(counters.c.value).where(counters.c.division_code == "620000000000")
            )
    finally:
        await database.dispose()
    assert stored == {"620000000000": 4, "620100000000": 1}
    assert unchanged == 4


@pytest.mark.postgres
async def test_add_rows_on_postgresql(postgres_settings: PlatformSettings) -> None:
    await _exercise(postgres_settings)


async def test_add_rows_on_sqlite(tmp_path: Path) -> None:
    await _exercise(PlatformSettings(canlian_data_dir=tmp_path))


async def test_bulk_insert_first_in_a_unit_of_work_rolls_back_with_it(
    postgres_settings: PlatformSettings,
) -> None:
    database = Database(postgres_settings, "dialect_bulk")
    await ensure_schema(database.engine, "dialect_bulk")
    table = Table("rows", MetaData(schema="dialect_bulk"), Column("id", Integer, primary_key=True))
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(table.metadata.drop_all)
            await connection.run_sync(table.metadata.create_all)

        class Abort(Exception):
            pass

        with pytest.raises(Abort):  # noqa: PT012 - the session must end by the error
            async with database.session() as session:
                await insert_in_bulk(session, table, ["id"], [(1,), (2,)])
                raise Abort
        async with database.read_session() as session:
            assert await session.scalar(text("SELECT count(*) FROM dialect_bulk.rows")) == 0
    finally:
        await database.dispose()


bulk_metadata = MetaData(schema="dialect_ids")
people = Table(
    "people",
    bulk_metadata,
    Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("seen_at", UtcDateTime, nullable=False),
)


async def _exercise_bulk_writes(settings: PlatformSettings) -> None:
    database = await _fresh(settings, bulk_metadata)
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    try:
        async with database.session() as session:
            await session.execute(people.insert(), [{"code": "first", "seen_at": moment}])
            ids = await reserve_ids(session, people, 700)
            await insert_in_bulk(
                session,
                people,
                ["id", "code", "seen_at"],
                [(key, f"code-{key}", moment) for key in ids],
            )
            # The sequence (or the largest key) goes on after the reserved ids.
            await session.execute(people.insert(), [{"code": "last", "seen_at": moment}])
        async with database.read_session() as session:
            wanted = [f"code-{key}" for key in ids] + ["absent"]
            found: list[str] = []
            conditions = matching(session, people.c.code, wanted)
            for condition in conditions:
                found += (await session.scalars(select(people.c.code).where(condition))).all()
            last = await session.scalar(select(people.c.id).where(people.c.code == "last"))
            stamps = set((await session.scalars(select(people.c.seen_at))).all())
        with pytest.raises(IntegrityError):
            async with database.session() as session:
                await insert_in_bulk(
                    session, people, ["id", "code", "seen_at"], [(ids[0] + 10_000, "first", moment)]
                )
    finally:
        await database.dispose()
    assert len(set(ids)) == 700
    assert sorted(found) == sorted(wanted[:-1])
    assert last is not None
    assert last > max(ids)
    assert stamps == {moment}  # UTC datetimes kept on both dialects
    assert len(conditions) == (1 if settings.database_url else 2)


@pytest.mark.postgres
async def test_reserved_ids_bulk_inserts_and_key_matches_on_postgresql(
    postgres_settings: PlatformSettings,
) -> None:
    await _exercise_bulk_writes(postgres_settings)


async def test_reserved_ids_bulk_inserts_and_key_matches_on_sqlite(tmp_path: Path) -> None:
    await _exercise_bulk_writes(PlatformSettings(canlian_data_dir=tmp_path))


class _Base(DeclarativeBase):
    metadata = MetaData(schema="dialect_objects")


class _Visit(_Base):
    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def _exercise_object_writes(settings: PlatformSettings) -> None:
    database = await _fresh(settings, _Base.metadata)
    table = _Visit.__table__
    assert isinstance(table, Table)
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    visits = [_Visit(code=f"v{n}", seen_at=moment) for n in range(3)]
    try:
        async with database.session() as session:
            for visit, key in zip(visits, await reserve_ids(session, table, 3), strict=True):
                visit.id = key
            await insert_objects(session, table, visits)
            untracked = not session.new and all(visit not in session for visit in visits)
        async with database.read_session() as session:
            stored = (
                await session.execute(select(table.c.id, table.c.code, table.c.seen_at))
            ).all()
        twin = _Visit(id=visits[-1].id + 100, code="v0", seen_at=moment)
        with pytest.raises(IntegrityError):
            async with database.session() as session:
                await insert_objects(session, table, [twin])
    finally:
        await database.dispose()
    assert untracked
    assert sorted(stored) == sorted((visit.id, visit.code, moment) for visit in visits)


@pytest.mark.postgres
async def test_new_orm_objects_are_written_set_based_on_postgresql(
    postgres_settings: PlatformSettings,
) -> None:
    await _exercise_object_writes(postgres_settings)


async def test_new_orm_objects_are_written_set_based_on_sqlite(tmp_path: Path) -> None:
    await _exercise_object_writes(PlatformSettings(canlian_data_dir=tmp_path))
