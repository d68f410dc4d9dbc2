"""A database that is away is told apart from a statement that failed on its own."""

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from canlian.common.db.outages import is_database_unavailable


class _ServerError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _failed(sqlstate: str, kind: type[DBAPIError] = DBAPIError) -> DBAPIError:
    return kind("SELECT 1", None, _ServerError(sqlstate))


@pytest.mark.parametrize(
    "sqlstate",
    ["57P01", "57P02", "57P03", "53300", "08006", "08001"],
    ids=["shutdown", "crash-shutdown", "starting-up", "too-many-connections", "08006", "08001"],
)
def test_server_not_serving_is_an_outage(sqlstate: str) -> None:
    assert is_database_unavailable(_failed(sqlstate))


@pytest.mark.parametrize("sqlstate", ["23505", "22P02", "42P01", "40001"])
def test_statement_errors_are_not_outages(sqlstate: str) -> None:
    assert not is_database_unavailable(_failed(sqlstate))
    assert not is_database_unavailable(_failed(sqlstate, IntegrityError))


def test_lost_connections_and_sockets_are_outages() -> None:
    invalidated = _failed("XX000")
    invalidated.connection_invalidated = True
    assert is_database_unavailable(invalidated)
    assert is_database_unavailable(_failed("XX000", OperationalError))
    assert is_database_unavailable(ConnectionRefusedError())
    assert is_database_unavailable(TimeoutError())
    assert not is_database_unavailable(ValueError("bad"))
