"""Every row of the cards service carries a version that each change increments."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from canlian.common.db.metadata import utcnow


class Versioned(Protocol):
    version: int
    updated_at: datetime


def touch(entity: Versioned) -> None:
    entity.version += 1
    entity.updated_at = utcnow()
