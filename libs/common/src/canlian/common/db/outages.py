"""Telling a database that is away (restarting, unreachable, out of connections) from a
statement that failed on its own: the first is retried or answered 503, the second is a bug
or bad data."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

# SQLSTATEs a PostgreSQL server sends while it cannot serve: class 08 (connection exception),
# 57P01-57P03 (shutting down, crash recovery, starting up), 53300 (too many connections).
_UNAVAILABLE_SQLSTATE_CLASSES = ("08",)
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})


def sqlstate_of(error: BaseException) -> str | None:
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None)
    return sqlstate if isinstance(sqlstate, str) else None


def is_database_unavailable(error: BaseException) -> bool:
    if isinstance(error, DBAPIError):
        if error.connection_invalidated or isinstance(error, (OperationalError, InterfaceError)):
            return True
        sqlstate = sqlstate_of(error)
        return sqlstate is not None and (
            sqlstate in _UNAVAILABLE_SQLSTATES or sqlstate.startswith(_UNAVAILABLE_SQLSTATE_CLASSES)
        )
    return isinstance(error, (ConnectionError, TimeoutError, OSError))
