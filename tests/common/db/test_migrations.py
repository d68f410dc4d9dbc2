"""Every service's Alembic history builds exactly the schema its models declare, on
PostgreSQL and on the embedded SQLite."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from canlian.common.db.database import create_engine
from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.probe.app import service_descriptor as probe
from canlian.testing.services import rebuild_schema

SERVICES = [*installed_services(), probe]


def _differences(connection: Connection, descriptor: ServiceDescriptor) -> list[object]:
    schema = descriptor.schema

    def include_name(name: str | None, type_: str, _parent: object) -> bool:
        if type_ == "schema":
            return name == schema
        return not (type_ == "table" and name == "alembic_version")

    context = MigrationContext.configure(
        connection,
        opts={"include_schemas": True, "include_name": include_name, "compare_type": True},
    )
    return list(compare_metadata(context, descriptor.metadata()))


async def _assert_matches(descriptor: ServiceDescriptor, settings: PlatformSettings) -> None:
    await rebuild_schema(descriptor, settings)
    engine = create_engine(settings, descriptor.schema)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences, descriptor)
    finally:
        await engine.dispose()
    assert differences == [], f"{descriptor.name}: migrations and models differ: {differences}"


@pytest.mark.postgres
@pytest.mark.parametrize("descriptor", SERVICES, ids=lambda d: d.name)
async def test_migrations_match_models_on_postgresql(
    descriptor: ServiceDescriptor, postgres_settings: PlatformSettings, tmp_path: Path
) -> None:
    # A database of its own, so this never disturbs the schemas other tests are using.
    settings = postgres_settings.model_copy(
        update={"database_url": await _scratch_database(postgres_settings, descriptor.schema)}
    )
    await _assert_matches(descriptor, settings)


@pytest.mark.parametrize("descriptor", SERVICES, ids=lambda d: d.name)
async def test_migrations_match_models_on_sqlite(
    descriptor: ServiceDescriptor, tmp_path: Path
) -> None:
    await _assert_matches(descriptor, PlatformSettings(canlian_data_dir=tmp_path))


async def _scratch_database(settings: PlatformSettings, name: str) -> str:
    import asyncpg

    assert settings.database_url is not None
    base = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    database = f"migrations_{name}"
    connection = await asyncpg.connect(base)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()
    return settings.database_url.rsplit("/", 1)[0] + "/" + database
