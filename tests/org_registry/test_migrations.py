"""The org-registry's Alembic history builds exactly its models' schema, and goes back down."""

import asyncpg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from canlian.common.db.database import create_engine
from canlian.common.db.migrations import alembic_config, upgrade
from canlian.common.settings import PlatformSettings
from canlian.org_registry.app import service_descriptor
from canlian.org_registry.models import Base
from canlian.testing.services import rebuild_schema

pytestmark = pytest.mark.postgres

SCHEMA = service_descriptor.schema


def _differences(connection: Connection) -> list[object]:
    def include_name(name: str | None, type_: str, _parent: object) -> bool:
        if type_ == "schema":
            return name == SCHEMA
        return not (type_ == "table" and name == "alembic_version")

    context = MigrationContext.configure(
        connection,
        opts={"include_schemas": True, "include_name": include_name, "compare_type": True},
    )
    return list(compare_metadata(context, Base.metadata))


async def _scratch(settings: PlatformSettings) -> PlatformSettings:
    """A database of its own, so the schema the other tests use is left alone."""
    assert settings.database_url is not None
    base = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(base)
    try:
        await connection.execute('DROP DATABASE IF EXISTS "org_registry_migrations"')
        await connection.execute('CREATE DATABASE "org_registry_migrations"')
    finally:
        await connection.close()
    url = settings.database_url.rsplit("/", 1)[0] + "/org_registry_migrations"
    return settings.model_copy(update={"database_url": url})


async def test_migrations_build_the_models_schema_and_downgrade_cleanly(
    postgres_settings: PlatformSettings,
) -> None:
    settings = await _scratch(postgres_settings)
    await rebuild_schema(service_descriptor, settings)
    engine = create_engine(settings, SCHEMA)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda sync: command.downgrade(alembic_config(service_descriptor, sync), "0001")
            )
        async with engine.connect() as connection:
            tables = set(
                (
                    await connection.execute(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
                        {"schema": SCHEMA},
                    )
                ).scalars()
            )
        assert "divisions" not in tables
        assert "outbox" in tables
        await upgrade(service_descriptor, settings)
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()
