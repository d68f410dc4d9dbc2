"""Tables of the metrics service, all in its own schema `metrics`."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "metrics"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
