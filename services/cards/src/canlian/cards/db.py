"""The declarative base of the cards service: every table lives in schema `cards`.

Each concept declares its tables on this `Base`; `canlian.cards.models` imports them all, so
its `Base.metadata` is complete wherever the whole schema is needed."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "cards"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
