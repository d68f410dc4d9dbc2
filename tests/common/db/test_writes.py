"""A unit of work that wrote is noticed however it wrote, on both dialects: the hook runs
once per such unit of work, inside its transaction, and never for one that only read or
that rolled back."""

from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from canlian.common.db.database import Database, ensure_schema
from canlian.common.db.dialect import insert_in_bulk
from canlian.common.db.writes import on_write_commit
from canlian.common.settings import PlatformSettings

SCHEMA = "writes_test"


class _Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class Note(_Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(20))


notes = _Base.metadata.tables[f"{SCHEMA}.notes"]
commits = Table(
    "commits", _Base.metadata, Column("id", Integer, primary_key=True, autoincrement=True)
)


async def _delete_then_fail(database: Database) -> None:
    async with database.session() as session:
        await session.execute(text("DELETE FROM writes_test.notes"))
        raise RuntimeError("refused")


async def _exercise(settings: PlatformSettings) -> None:
    database = Database(settings, SCHEMA)
    await ensure_schema(database.engine, SCHEMA)
    async with database.engine.begin() as connection:
        await connection.run_sync(_Base.metadata.drop_all)
        await connection.run_sync(_Base.metadata.create_all)

    def record_commit(session: Session) -> None:
        # Written in the unit of work's own transaction, as the metrics version is.
        session.connection().execute(insert(commits))

    on_write_commit(database.sync_sessions, record_commit)

    async def hooked() -> int:
        async with database.read_session() as session:
            return len((await session.execute(select(commits.c.id))).all())

    try:
        async with database.session() as session:
            session.add(Note(id=1, text="orm"))  # pending until the commit's flush
        assert await hooked() == 1
        async with database.session() as session:
            session.add(Note(id=4, text="flushed"))
            await session.flush()  # nothing pending when it commits
        assert await hooked() == 2
        async with database.session() as session:
            await session.delete(await session.get_one(Note, 4))
            await session.flush()
        assert await hooked() == 3
        async with database.session() as session:
            await session.execute(update(Note).where(Note.id == 1).values(text="core"))
            await session.execute(insert(Note).values(id=2, text="core"))  # once per unit
        assert await hooked() == 4
        async with database.session() as session:
            await session.execute(text("DELETE FROM writes_test.notes WHERE id = 2"))
        assert await hooked() == 5
        async with database.session() as session:
            await insert_in_bulk(session, notes, ["id", "text"], [(3, "bulk")])
        assert await hooked() == 6
        async with database.session() as session:
            await session.execute(select(Note))
            await session.execute(text("SELECT count(*) FROM writes_test.notes"))
        assert await hooked() == 6  # reads only
        with pytest.raises(RuntimeError):
            await _delete_then_fail(database)
        assert await hooked() == 6  # rolled back with the delete
        async with database.read_session() as session:
            texts = (await session.scalars(select(Note.text).order_by(Note.id))).all()
        assert texts == ["core", "bulk"]
    finally:
        await database.dispose()


@pytest.mark.postgres
async def test_writes_are_noticed_on_postgresql(postgres_settings: PlatformSettings) -> None:
    await _exercise(postgres_settings)


async def test_writes_are_noticed_on_sqlite(tmp_path: Path) -> None:
    await _exercise(PlatformSettings(canlian_data_dir=tmp_path))
