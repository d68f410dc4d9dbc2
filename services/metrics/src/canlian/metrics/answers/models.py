"""The read model's version: one row, moved by every unit of work that writes to metrics."""

from __future__ import annotations

from sqlalchemy import BigInteger, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from canlian.metrics.db import Base


class ReadModelVersion(Base):
    """Which state of the metrics tables an answer was read from. The only row (`id` 1) is
    moved in the transaction of each write, so every process sees it move when the data
    does; it never goes back, even when a transaction that moved it rolls back (a value
    from the clock), so an answer kept at one version is never taken for another state."""

    __tablename__ = "read_model_version"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
