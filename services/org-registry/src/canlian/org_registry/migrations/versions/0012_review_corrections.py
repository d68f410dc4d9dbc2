"""Budget and mid-term reviews may be corrected (a later version with a reason, every version
kept) or withdrawn with a reason; a withdrawn review makes way for another, so the one-per-term
rules hold over the reviews in force only.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"

TABLES = ("budget_reviews", "midterm_reviews")


def _state_columns() -> list[Any]:
    return [
        sa.Column("status", sa.String(10), server_default="recorded", nullable=False),
        sa.Column("correction_reason", sa.String(2000), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_reason", sa.String(2000), nullable=True),
        sa.Column("changed_by", sa.String(200), nullable=True),
        sa.Column("changed_at", UtcDateTime(), nullable=True),
    ]


def _versions(table: str) -> None:
    name = f"{table[:-1]}_versions"  # budget_review_versions, midterm_review_versions
    op.create_table(
        name,
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("review_id", BigIntegerKey, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(10), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], [f"{SCHEMA}.{table}.id"], name=op.f(f"fk_{name}_review_id_{table}")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("review_id", "version", name=op.f(f"uq_{name}_review_id_version")),
        schema=SCHEMA,
    )
    op.create_index(op.f(f"ix_{name}_review_id"), name, ["review_id"], schema=SCHEMA)


def upgrade() -> None:
    for table, unique, columns in (
        ("budget_reviews", "uq_budget_reviews_term_id_year", ["term_id", "year"]),
        ("midterm_reviews", "uq_midterm_reviews_term_id", ["term_id"]),
    ):
        # Batch mode: SQLite (the portal-role checks' database) cannot alter constraints.
        with op.batch_alter_table(table, schema=SCHEMA) as batch:
            for column in _state_columns():
                batch.add_column(column)
            batch.drop_constraint(unique, type_="unique")
            batch.create_index(
                f"{unique}_recorded",
                columns,
                unique=True,
                postgresql_where=sa.text("status = 'recorded'"),
                sqlite_where=sa.text("status = 'recorded'"),
            )
    for table in TABLES:
        _versions(table)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(f"{table[:-1]}_versions", schema=SCHEMA)
    for table, unique, columns in (
        ("midterm_reviews", "uq_midterm_reviews_term_id", ["term_id"]),
        ("budget_reviews", "uq_budget_reviews_term_id_year", ["term_id", "year"]),
    ):
        with op.batch_alter_table(table, schema=SCHEMA) as batch:
            batch.drop_index(f"{unique}_recorded")
            batch.create_unique_constraint(unique, columns)
            for column in reversed(_state_columns()):
                batch.drop_column(column.name)
