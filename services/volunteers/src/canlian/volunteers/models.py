"""Tables of the volunteers service, all in its own schema `volunteers`."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "volunteers"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
