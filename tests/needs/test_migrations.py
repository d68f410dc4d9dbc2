"""The Alembic history builds exactly the schema the models describe."""

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy.engine import Connection

from canlian.needs.models import SCHEMA, Base
from canlian.testing.services import runtime_of

pytestmark = pytest.mark.postgres


def _diff(connection: Connection) -> list[Any]:
    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        if type_ == "schema":
            return name == SCHEMA
        return not (type_ == "table" and name == "alembic_version")

    context = MigrationContext.configure(
        connection,
        opts={"include_schemas": True, "include_name": include_name, "compare_type": True},
    )
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_schema_matches_the_models(needs_app: FastAPI) -> None:
    # needs_app rebuilt the schema with the Alembic history.
    async with runtime_of(needs_app).database.engine.connect() as connection:
        differences = await connection.run_sync(_diff)
    assert differences == []
