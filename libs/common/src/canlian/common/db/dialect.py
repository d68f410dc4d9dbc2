"""The few statements that differ between PostgreSQL and SQLite, kept in one place."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import asyncpg
from sqlalchemy import JSON, ColumnElement, Row, Table, any_, bindparam, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from canlian.common.db.writes import mark_written


def _insert(session: AsyncSession | str, table: Table) -> Any:
    """The dialect's INSERT, for a session or a dialect's name."""
    name = session if isinstance(session, str) else session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(name)


def insert_ignoring_conflicts(
    session: AsyncSession | str, table: Table, index_elements: Sequence[str]
) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING."""
    statement = _insert(session, table)
    result: Insert = statement.on_conflict_do_nothing(index_elements=list(index_elements))
    return result


def upsert_adding(
    session: AsyncSession,
    table: Table,
    index_elements: Sequence[str],
    increments: Sequence[str],
    assignments: Sequence[str] = (),
) -> Insert:
    """INSERT ... ON CONFLICT DO UPDATE: add `increments` to the stored values, overwrite
    `assignments`. Rows come as parameters of the executed statement."""
    statement = _insert(session, table)
    excluded = statement.excluded
    update: dict[str, Any] = {name: table.c[name] + excluded[name] for name in increments}
    update.update({name: excluded[name] for name in assignments})
    result: Insert = statement.on_conflict_do_update(
        index_elements=list(index_elements), set_=update
    )
    return result


def upsert_replacing(
    session: AsyncSession,
    table: Table,
    index_elements: Sequence[str],
    assignments: Sequence[str],
    *,
    unless_newer: str | None = None,
) -> Insert:
    """INSERT ... ON CONFLICT DO UPDATE SET the `assignments` from the new row; with
    `unless_newer`, a stored row whose value in that column is greater is left as it is."""
    statement = _insert(session, table)
    excluded = statement.excluded
    result: Insert = statement.on_conflict_do_update(
        index_elements=list(index_elements),
        set_={name: excluded[name] for name in assignments},
        where=None if unless_newer is None else table.c[unless_newer] <= excluded[unless_newer],
    )
    return result


def _qualified(table: Table) -> str:
    return f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'


def _sql_type(table: Table, name: str, bind: Any) -> str:
    """The column's type for a CAST, without its collation (`VARCHAR(12) COLLATE "C"[]` is not
    SQL; the column's own collation applies where the value is stored or compared)."""
    compiled = str(table.c[name].type.compile(dialect=bind.dialect))
    return re.sub(r'\s+COLLATE\s+"[^"]*"', "", compiled)


def supports_skip_locked(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def add_rows(
    session: AsyncSession,
    table: Table,
    index_elements: Sequence[str],
    increments: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Upsert many rows, adding `increments` to what is stored: one set-based statement on
    PostgreSQL (arrays through unnest), a prepared executemany on SQLite.

    Rows are applied in the order given; pass them sorted by key so that concurrent writers
    lock rows in the same order and never deadlock.
    """
    await _upsert_rows(session, table, index_elements, rows, increments=increments)


async def replace_rows(
    session: AsyncSession,
    table: Table,
    index_elements: Sequence[str],
    assignments: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Upsert many rows, overwriting `assignments`; set-based on PostgreSQL as `add_rows`."""
    await _upsert_rows(session, table, index_elements, rows, assignments=assignments)


async def _upsert_rows(
    session: AsyncSession,
    table: Table,
    index_elements: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    *,
    increments: Sequence[str] = (),
    assignments: Sequence[str] = (),
) -> None:
    if not rows:
        return
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        upsert = upsert_adding(session, table, index_elements, increments, assignments)
        await session.execute(upsert, rows)
        return
    columns = [*index_elements, *increments, *assignments]
    # JSON travels as text arrays (asyncpg has no json[] codec) and is cast back per row.
    is_json = {name: isinstance(table.c[name].type, JSON) for name in columns}
    arrays = ", ".join(
        f"CAST(:{name} AS TEXT[])"
        if is_json[name]
        else f"CAST(:{name} AS {_sql_type(table, name, bind)}[])"
        for name in columns
    )
    selected = ", ".join(
        f'CAST(u."{name}" AS JSON)' if is_json[name] else f'u."{name}"' for name in columns
    )
    aliases = ", ".join(f'"{name}"' for name in columns)
    target = _qualified(table)
    updates = ", ".join(
        [f'"{name}" = {target}."{name}" + excluded."{name}"' for name in increments]
        + [f'"{name}" = excluded."{name}"' for name in assignments]
    )
    keys = ", ".join(f'"{name}"' for name in index_elements)
    statement = text(
        f"INSERT INTO {target} ({aliases}) SELECT {selected} "  # noqa: S608 - names come from table metadata
        f"FROM unnest({arrays}) AS u({aliases}) ON CONFLICT ({keys}) DO UPDATE SET {updates}"
    )
    await session.execute(
        statement,
        {
            name: (
                [json.dumps(row[name], separators=(",", ":")) for row in rows]
                if is_json[name]
                else [row[name] for row in rows]
            )
            for name in columns
        },
    )


async def lock_or_create_rows(
    session: AsyncSession,
    table: Table,
    key: str,
    keys: Sequence[str],
    placeholder: Mapping[str, Any],
    returning: Sequence[str],
) -> list[Row[Any]]:
    """The rows of these keys, locked until the transaction ends; absent keys get the
    placeholder row first. Pass keys sorted so that concurrent callers lock in one order.

    On PostgreSQL one upsert whose no-op update takes the row lock and returns the stored
    values: arbitration goes through the key's unique index whatever the table's size (a
    SELECT ... IN (...) FOR UPDATE turned into a sequential scan once the table grew).
    """
    if not keys:
        return []
    columns = [table.c[name] for name in returning]
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        await session.execute(
            insert_ignoring_conflicts(session, table, [key]),
            [{key: value, **placeholder} for value in keys],
        )
        rows = await session.execute(
            select(*columns).where(table.c[key].in_(keys)).order_by(table.c[key])
        )
        return list(rows.all())
    target = _qualified(table)
    names = list(placeholder)
    key_type = _sql_type(table, key, bind)
    values = ", ".join(f"CAST(:{name} AS {_sql_type(table, name, bind)})" for name in names)
    quoted = ", ".join(f'"{name}"' for name in [key, *names])
    returned = ", ".join(f'"{name}"' for name in returning)
    statement = (
        text(
            f"INSERT INTO {target} ({quoted}) "  # noqa: S608 - names come from table metadata
            f"SELECT k, {values} FROM unnest(CAST(:keys AS {key_type}[])) AS k ORDER BY k "
            f'ON CONFLICT ("{key}") DO UPDATE SET "{names[0]}" = {target}."{names[0]}" '
            f"RETURNING {returned}"
        )
        .bindparams(*(bindparam(name, type_=table.c[name].type) for name in names))
        .columns(*columns)
    )
    rows = await session.execute(statement, {"keys": list(keys), **placeholder})
    return list(rows.all())


async def insert_in_bulk(
    session: AsyncSession, table: Table, columns: Sequence[str], records: Sequence[Sequence[Any]]
) -> None:
    """Insert many new rows: PostgreSQL's COPY through the session's own connection (so in its
    transaction), a prepared executemany on SQLite. JSON columns take encoded strings.

    A row that breaks a constraint raises SQLAlchemy's `IntegrityError` on both dialects."""
    if not records:
        return
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        params = [dict(zip(columns, record, strict=True)) for record in records]
        if not any(isinstance(table.c[name].type, JSON) for name in columns):
            # The table's own INSERT, so that column types apply (UTC datetimes).
            await session.execute(table.insert(), params)
            return
        placeholders = ", ".join(f":{name}" for name in columns)
        quoted = ", ".join(f'"{name}"' for name in columns)
        target = _qualified(table)
        await session.execute(
            text(f"INSERT INTO {target} ({quoted}) VALUES ({placeholders})"),  # noqa: S608 - names come from table metadata
            params,
        )
        return
    # The asyncpg adapter sends BEGIN with the first statement that goes through SQLAlchemy;
    # without one before it, COPY would run outside the session's transaction.
    await session.execute(text("SELECT 1"))
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    mark_written(session)
    try:
        await driver.copy_records_to_table(
            table.name, schema_name=table.schema, columns=list(columns), records=records
        )
    except asyncpg.IntegrityConstraintViolationError as error:
        raise IntegrityError(f"COPY {_qualified(table)}", None, error) from error


async def copy_in(
    session: AsyncSession,
    table: str,
    columns: Sequence[str],
    records: Iterable[Sequence[Any]],
    *,
    schema: str | None = None,
) -> None:
    """PostgreSQL only: COPY records into a table (a staging table, often temporary) through
    the session's own connection, in its transaction; the records are streamed, never held
    as a whole."""
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        raise NotImplementedError(connection.dialect.name)
    # As in `insert_in_bulk`: a statement through SQLAlchemy first, so that BEGIN is sent.
    await session.execute(text("SELECT 1"))
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    mark_written(session)
    await driver.copy_records_to_table(
        table, schema_name=schema, columns=list(columns), records=records
    )


async def insert_objects(session: AsyncSession, table: Table, objects: Sequence[Any]) -> None:
    """New ORM objects of `table`, never added to the session and their keys already drawn
    (`reserve_ids`), written with `insert_in_bulk` from their attributes, one per column: an
    import's rows without the unit of work's bookkeeping for each object. Every column is
    written, so the objects set each one (a server default does not apply)."""
    columns = [column.key for column in table.columns]
    records = [tuple(getattr(item, name) for name in columns) for item in objects]
    await insert_in_bulk(session, table, columns, records)


async def analyze(session: AsyncSession, tables: Sequence[Table]) -> None:
    """Fresh planner statistics for tables a bulk load has just grown (PostgreSQL's advice
    for populating a database): without them, until autovacuum gets to it, a look-up by a
    non-unique key of the new rows (`matching`) is planned as a scan of the whole table. Run
    in the session's transaction, it counts the rows that transaction wrote; a role that
    does not own the tables gets a warning, not an error. Nothing to do on SQLite."""
    if session.get_bind().dialect.name != "postgresql" or not tables:
        return
    await session.execute(text(f"ANALYZE {', '.join(_qualified(table) for table in tables)}"))


def matching(
    session: AsyncSession, column: ColumnElement[Any], values: Sequence[Any]
) -> list[ColumnElement[bool]]:
    """`column IN (values)` as the conditions of the statements to run, one each: on
    PostgreSQL one array parameter (`= ANY`) for all of them, however many; elsewhere lists
    of 500 (SQLite's parameter limit)."""
    if not values:
        return []
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        return [column == any_(array)]
    return [column.in_(values[start : start + 500]) for start in range(0, len(values), 500)]


async def reserve_ids(session: AsyncSession, table: Table, count: int) -> list[int]:
    """`count` fresh values of the table's integer key, for rows inserted with them in bulk
    (`insert_in_bulk`): from its sequence on PostgreSQL; on SQLite above the largest key, which
    holds because the session has taken the write lock at BEGIN (BEGIN IMMEDIATE)."""
    if count <= 0:
        return []
    (key,) = table.primary_key.columns
    if session.get_bind().dialect.name == "postgresql":
        sequence = f"{table.schema}.{table.name}" if table.schema else table.name
        ids = await session.scalar(
            text(
                "SELECT array_agg(nextval(pg_get_serial_sequence(:table, :column))) "
                "FROM generate_series(1, :count)"
            ),
            {"table": sequence, "column": key.name, "count": count},
        )
        return list(ids)
    highest = await session.scalar(select(func.coalesce(func.max(key), 0)))
    first = int(highest or 0) + 1
    return list(range(first, first + count))


async def empty_tables(session: AsyncSession, tables: Sequence[Table]) -> None:
    """Remove every row: TRUNCATE on PostgreSQL (no dead rows to vacuum; the tables stay
    locked against readers until the transaction ends), DELETE on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        for table in tables:
            await session.execute(table.delete())
        return
    names = ", ".join(_qualified(table) for table in tables)
    await session.execute(text(f"TRUNCATE {names}"))


async def insert_missing(
    session: AsyncSession,
    table: Table,
    index_elements: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    returning: str,
) -> set[Any]:
    """Insert the rows whose key is not stored yet; returns `returning` of those inserted.
    One set-based statement on PostgreSQL (arrays through unnest)."""
    if not rows:
        return set()
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        ignoring = insert_ignoring_conflicts(session, table, index_elements).returning(
            table.c[returning]
        )
        return {row[0] for row in await session.execute(ignoring, list(rows))}
    columns = list(rows[0])
    arrays = ", ".join(f"CAST(:{name} AS {_sql_type(table, name, bind)}[])" for name in columns)
    aliases = ", ".join(f'"{name}"' for name in columns)
    target = _qualified(table)
    keys = ", ".join(f'"{name}"' for name in index_elements)
    statement = text(
        f"INSERT INTO {target} ({aliases}) SELECT * FROM unnest({arrays}) "  # noqa: S608 - names come from table metadata
        f'ON CONFLICT ({keys}) DO NOTHING RETURNING "{returning}"'
    )
    result = await session.execute(
        statement, {name: [row[name] for row in rows] for name in columns}
    )
    return {row[0] for row in result}
