"""The declarative base every table of the members service is declared on (schema `members`).

Each concept declares its own tables in its `models.py`; `canlian.members.models` imports them
all, so that `Base.metadata` is complete wherever it is needed (the app, Alembic, the tests).
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "members"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
