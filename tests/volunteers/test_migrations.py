"""The Alembic history of the volunteers service builds exactly the tables its models declare."""

from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from canlian.common.db.database import create_engine
from canlian.common.settings import PlatformSettings
from canlian.testing.services import rebuild_schema
from canlian.volunteers.app import service_descriptor
from canlian.volunteers.models import Base

SCHEMA = service_descriptor.schema


def _differences(connection: Connection) -> list[Any]:
    def include_name(name: str | None, type_: str, _parent: object) -> bool:
        if type_ == "schema":
            return name == SCHEMA
        return not (type_ == "table" and name == "alembic_version")

    context = MigrationContext.configure(
        connection,
        opts={"include_schemas": True, "include_name": include_name, "compare_type": True},
    )
    return list(compare_metadata(context, Base.metadata))


async def _build_and_compare(settings: PlatformSettings) -> tuple[list[Any], list[str]]:
    await rebuild_schema(service_descriptor, settings)
    engine = create_engine(settings, SCHEMA)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
            if connection.dialect.name == "postgresql":
                names = await connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
                    {"schema": SCHEMA},
                )
            else:
                names = await connection.execute(
                    text("SELECT name FROM volunteers.sqlite_master WHERE type = 'table'")
                )
            tables = sorted(str(row[0]) for row in names)
    finally:
        await engine.dispose()
    return differences, tables


@pytest.mark.postgres
async def test_migrations_match_models_on_postgresql(postgres_settings: PlatformSettings) -> None:
    # A database of its own, so the API tests' schema is never disturbed.
    assert postgres_settings.database_url is not None
    base = postgres_settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(base)
    try:
        await connection.execute('DROP DATABASE IF EXISTS "volunteers_migrations"')
        await connection.execute('CREATE DATABASE "volunteers_migrations"')
    finally:
        await connection.close()
    url = postgres_settings.database_url.rsplit("/", 1)[0] + "/volunteers_migrations"
    differences, tables = await _build_and_compare(
        postgres_settings.model_copy(update={"database_url": url})
    )
    assert differences == []
    assert {"volunteers", "service_records", "needs", "star_policies"} <= set(tables)


async def test_migrations_match_models_on_sqlite(tmp_path: Path) -> None:
    differences, tables = await _build_and_compare(PlatformSettings(canlian_data_dir=tmp_path))
    assert differences == []
    assert "service_records" in tables
