"""The service's one declarative base: every table sits in its own schema `org_registry`.

Concept models declare their tables on `Base`; `models.py` imports them all so that
`Base.metadata` is complete wherever it is read.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import service_metadata

SCHEMA = "org_registry"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)
