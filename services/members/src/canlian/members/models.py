"""Tables of the members service, all in its own schema `members`."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "members"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
