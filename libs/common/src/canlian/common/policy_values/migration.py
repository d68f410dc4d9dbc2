"""The migration steps that create `policy_values` and `policy_in_force_runs` in an owning
service's schema (each owner's own numbered revision calls them), matching `table.py`."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.common.policy_values.table import RUNS_TABLE_NAME, TABLE_NAME


def create_policy_values(schema: str) -> None:
    op.create_table(
        TABLE_NAME,
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("parameter", sa.String(100), nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(18, 4), nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE_NAME}"),
        schema=schema,
    )
    op.create_index(
        "uq_policy_values_parameter_division_code_version",
        TABLE_NAME,
        ["parameter", "division_code", "version"],
        unique=True,
        schema=schema,
    )


def drop_policy_values(schema: str) -> None:
    op.drop_table(TABLE_NAME, schema=schema)


def create_policy_in_force_runs(schema: str) -> None:
    op.create_table(
        RUNS_TABLE_NAME,
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("ran_at", UtcDateTime(), nullable=False),
        sa.Column("values_in_force", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_on", name=f"pk_{RUNS_TABLE_NAME}"),
        schema=schema,
    )


def drop_policy_in_force_runs(schema: str) -> None:
    op.drop_table(RUNS_TABLE_NAME, schema=schema)
