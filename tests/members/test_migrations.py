"""The Alembic history builds exactly the schema the models declare."""

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from canlian.common.db.database import create_engine
from canlian.common.settings import PlatformSettings
from canlian.members.app import service_descriptor
from canlian.members.models import SCHEMA, Base
from canlian.testing.services import rebuild_schema

pytestmark = pytest.mark.postgres


def _differences(connection: Connection) -> list[Any]:
    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        if type_ == "schema":
            return name == SCHEMA
        return not (type_ == "table" and name == "alembic_version")

    context = MigrationContext.configure(
        connection,
        opts={"include_schemas": True, "include_name": include_name, "compare_type": True},
    )
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_schema_matches_the_models(postgres_settings: PlatformSettings) -> None:
    settings = postgres_settings.model_copy()
    await rebuild_schema(service_descriptor, settings)
    engine = create_engine(settings, SCHEMA)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == []
