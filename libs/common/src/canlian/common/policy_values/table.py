"""The `policy_values` table, declared in each owning service's schema like the platform
tables. Append-only: a value for a later date never erases an earlier one, and a new value for
the same date is a new row with a higher version, so the history of every region is kept."""

from __future__ import annotations

from sqlalchemy import Column, Date, Index, Integer, MetaData, Numeric, String, Table, Text

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

TABLE_NAME = "policy_values"


def policy_values_table(metadata: MetaData) -> Table:
    """The table in `metadata` (declared once per metadata)."""
    if TABLE_NAME in metadata.info:
        table: Table = metadata.info[TABLE_NAME]
        return table
    table = Table(
        TABLE_NAME,
        metadata,
        Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        Column("parameter", String(100), nullable=False),
        Column("division_code", DivisionCodeType, nullable=False),
        Column("effective_from", Date, nullable=False),
        Column("value", Numeric(18, 4), nullable=False),
        Column("set_by", String(200), nullable=False),
        Column("reason", Text, nullable=False),
        # Of the region's values of the parameter: 1, 2, ...; the ETag of the region's policy.
        Column("version", Integer, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )
    Index(
        "uq_policy_values_parameter_division_code_version",
        table.c.parameter,
        table.c.division_code,
        table.c.version,
        unique=True,
    )
    metadata.info[TABLE_NAME] = table
    return table


RUNS_TABLE_NAME = "policy_in_force_runs"


def policy_in_force_runs_table(metadata: MetaData) -> Table:
    """The China-time days the daily in-force run claimed (`daily.py`): one row a day, so the
    first replica to insert it runs that day's re-evaluation and the others skip it; the
    latest day before today is where the next run starts from."""
    if RUNS_TABLE_NAME in metadata.info:
        table: Table = metadata.info[RUNS_TABLE_NAME]
        return table
    table = Table(
        RUNS_TABLE_NAME,
        metadata,
        Column("run_on", Date, primary_key=True),
        Column("ran_at", UtcDateTime, nullable=False),
        # Values that came into force since the day before, and the objects they changed.
        Column("values_in_force", Integer, nullable=False),
        Column("changed", Integer, nullable=False),
    )
    metadata.info[RUNS_TABLE_NAME] = table
    return table
