"""The read model's version moves with every unit of work that writes to metrics."""

from __future__ import annotations

from sqlalchemy.orm import Session

from canlian.common.db.database import Database
from canlian.common.db.writes import WriteHook, on_write_commit
from canlian.metrics.answers.repository import move_version


def _move_version(session: Session) -> None:
    move_version(session.connection())


def keep_version(database: Database, *, moved: WriteHook | None = None) -> None:
    """Every process that writes to metrics calls this on its database first: the API, the
    consumers and the command-line tools, so answers kept anywhere go stale with the data.
    `moved(session)` runs once a unit of work that moved it has committed."""
    on_write_commit(database.sync_sessions, _move_version, committed=moved)
