"""Tables of the cards service, all in its own schema `cards`."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "cards"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
