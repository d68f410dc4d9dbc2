"""Tables of the org-registry service, all in its own schema `org_registry`."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "org_registry"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
