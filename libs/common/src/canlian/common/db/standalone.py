"""A statement that is a whole unit of work by itself, run on PostgreSQL straight on the
pooled asyncpg connection.

One statement commits or fails as a whole, so it needs no BEGIN and no COMMIT; and run
outside the ORM session it skips the session's bookkeeping too. On a card write that was
about a third of the request's CPU (cards: register a person, in-process: ~1,600 µs → ~1,150 µs
per request). The connection still comes from the engine's pool (one connection budget, the
pool's checks on checkout), and errors come out as SQLAlchemy's, as they would through a
session, so that a database away still answers 503.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

# Compiled forms kept per engine; past this many statements (a caller building a new
# statement on every call) the rest are compiled each time rather than kept.
MAX_COMPILED = 256


@dataclass(frozen=True)
class CompiledStatement:
    """The SQL text with `$n` placeholders and how to fill them from the given values."""

    sql: str
    compiled: SQLCompiler
    order: tuple[str, ...]
    processors: Mapping[str, Callable[[Any], Any]]

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        # The statement's own bound values (a literal in a WHERE) and the given ones.
        parameters = self.compiled.construct_params(dict(values))
        arguments = []
        for name in self.order:
            value = parameters[name]
            processor = self.processors.get(name)
            arguments.append(value if processor is None else processor(value))
        return arguments


def compile_statement(
    statement: Executable, dialect: Dialect, parameter_names: Sequence[str]
) -> CompiledStatement:
    compiled = statement.compile(dialect=dialect, column_keys=list(parameter_names))  # type: ignore[attr-defined]
    assert isinstance(compiled, SQLCompiler)
    sql = str(compiled)
    # Private to SQLAlchemy, but the only place the dialect's type adaptation lives (JSON
    # encoding, enums); asyncpg takes the rest as they are.
    processors: dict[str, Callable[[Any], Any]] = {}
    for name, processor in compiled._bind_processors.items():
        if not callable(processor):
            raise NotImplementedError(f"tuple-typed parameter {name} in a statement on its own")
        processors[name] = processor
    if "__[POSTCOMPILE_" in sql:
        raise NotImplementedError("an expanding IN in a statement on its own")
    return CompiledStatement(
        sql=sql, compiled=compiled, order=tuple(compiled.positiontup or ()), processors=processors
    )


class StandaloneStatements:
    """Runs single statements on their own on one PostgreSQL engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        assert engine.dialect.name == "postgresql"
        self._engine = engine
        self._compiled: dict[tuple[Executable, tuple[str, ...]], CompiledStatement] = {}

    def _compiled_for(self, statement: Executable, names: tuple[str, ...]) -> CompiledStatement:
        key = (statement, names)
        found = self._compiled.get(key)
        if found is None:
            found = compile_statement(statement, self._engine.dialect, names)
            if len(self._compiled) < MAX_COMPILED:
                self._compiled[key] = found
        return found

    async def scalar(self, statement: Executable, values: Mapping[str, Any]) -> Any:
        """The first column of the first row (the driver's value), or None."""
        compiled = self._compiled_for(statement, tuple(sorted(values)))
        arguments = compiled.arguments(values)
        pooled = await self._engine.raw_connection()
        try:
            driver = pooled.driver_connection
            assert driver is not None
            return await driver.fetchval(compiled.sql, *arguments)
        except Exception as error:
            raise await _as_sqlalchemy_error(
                self._engine.dialect, pooled, compiled.sql, error
            ) from error
        except BaseException:
            # Cancelled in the middle of the statement: the connection is in an unknown state.
            await greenlet_spawn(pooled.invalidate)
            raise
        finally:
            # Back to the pool, in a greenlet: SQLAlchemy's asyncio adaptation closes an
            # invalidated connection there.
            await greenlet_spawn(pooled.close)


async def _as_sqlalchemy_error(
    dialect: Dialect, pooled: PoolProxiedConnection, sql: str, error: Exception
) -> Exception:
    """The error as SQLAlchemy raises it through a session: the dialect's translation of the
    driver's error wrapped in `DBAPIError` (IntegrityError, OperationalError, ...), with the
    connection invalidated when the error says it is gone. Any other error (a timeout, the
    network) comes out as it is, the connection invalidated."""
    dbapi = dialect.loaded_dbapi
    try:
        # The dialect's own mapping of asyncpg's errors to its DB-API ones; it always raises.
        pooled.dbapi_connection._handle_exception(error)  # type: ignore[union-attr]
    except dbapi.Error as translated:
        disconnected = dialect.is_disconnect(translated, pooled.dbapi_connection, None)
        if disconnected:
            await greenlet_spawn(pooled.invalidate, translated)
        wrapped: Exception = exc.DBAPIError.instance(
            sql,
            None,
            translated,
            dbapi.Error,
            hide_parameters=True,
            connection_invalidated=disconnected,
            dialect=dialect,
            ismulti=False,
        )
        wrapped.__cause__ = error
        return wrapped
    except Exception as other:
        await greenlet_spawn(pooled.invalidate, other)
        return other
    return error  # pragma: no cover
