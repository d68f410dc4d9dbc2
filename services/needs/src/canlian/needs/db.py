"""The declarative base of every table of the needs service (schema `needs`) and row ids.

Each concept declares its tables in its own `models.py` on this `Base`;
`canlian.needs.models` imports them all, so `Base.metadata` is complete wherever it is
needed (the app, Alembic, the migration tests).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "needs"

ID_LENGTH = 64


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


def new_id() -> str:
    return str(uuid.uuid4())
