"""Alembic per service: its own history, its version table in its own schema, and
autogenerate that only looks at that schema."""

from __future__ import annotations

from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from canlian.common.db.database import create_engine, ensure_schema
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import PlatformSettings


def alembic_config(descriptor: ServiceDescriptor, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(descriptor.migrations_dir))
    config.attributes["descriptor"] = descriptor
    config.attributes["connection"] = connection
    return config


def run_env() -> None:
    """The body of every service's migrations/env.py."""
    config = context.config
    descriptor: ServiceDescriptor = config.attributes["descriptor"]
    connection: Connection | None = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations with `canlian migrate`, which passes a connection")
    metadata = descriptor.metadata()
    schema = descriptor.schema

    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        return name == schema if type_ == "schema" else True

    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        include_schemas=True,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def upgrade(
    descriptor: ServiceDescriptor, settings: PlatformSettings, revision: str = "head"
) -> None:
    engine = create_engine(settings, descriptor.schema)
    try:
        await ensure_schema(engine, descriptor.schema)
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda sync: command.upgrade(alembic_config(descriptor, sync), revision)
            )
    finally:
        await engine.dispose()


async def autogenerate(
    descriptor: ServiceDescriptor, settings: PlatformSettings, message: str
) -> None:
    """Write a new revision from the difference between the models and the database."""
    engine = create_engine(settings, descriptor.schema)
    try:
        await ensure_schema(engine, descriptor.schema)
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda sync: command.revision(
                    alembic_config(descriptor, sync), message=message, autogenerate=True
                )
            )
    finally:
        await engine.dispose()


def metadata_tables(metadata: MetaData) -> list[str]:
    return sorted(table.name for table in metadata.sorted_tables)
