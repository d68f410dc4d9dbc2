"""The metrics service's database: its schema `metrics`, the declarative base every concept's
tables are registered on, and the size of statements' IN lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.orm import DeclarativeBase

from canlian.common.db.metadata import (
    service_metadata,
)

SCHEMA = "metrics"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


# Keep each statement's IN list and parameter set a reasonable size on both dialects.
_CHUNK = 500


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
