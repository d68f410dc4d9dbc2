"""The presidium's yearly budget review (seed 002) and the mid-term review by the level above
(seeds 000, 003), each an act of a federation's term.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"


def _term_columns(table: str) -> list[Any]:
    return [
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("term_id", BigIntegerKey, nullable=False),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            [f"{SCHEMA}.organisations.id"],
            name=op.f(f"fk_{table}_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["term_id"], [f"{SCHEMA}.terms.id"], name=op.f(f"fk_{table}_term_id_terms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _record_columns() -> list[Any]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "budget_reviews",
        *_term_columns("budget_reviews"),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("budget_yuan", sa.Numeric(14, 2), nullable=False),
        sa.Column("executed_yuan", sa.Numeric(14, 2), nullable=False),
        sa.Column("note", sa.String(1000), nullable=True),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("reasons", sa.String(2000), nullable=True),
        *_record_columns(),
        sa.UniqueConstraint("term_id", "year"),
        schema=SCHEMA,
    )
    for column in ("organisation_id", "division_code", "term_id", "year"):
        op.create_index(
            op.f(f"ix_budget_reviews_{column}"), "budget_reviews", [column], schema=SCHEMA
        )
    op.create_table(
        "midterm_reviews",
        *_term_columns("midterm_reviews"),
        sa.Column("reviewer_division_code", DivisionCodeType, nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.String(4000), nullable=False),
        sa.Column("result", sa.String(15), nullable=False),
        sa.Column("conclusion", sa.String(2000), nullable=False),
        sa.Column("adjustment_recommended", sa.Boolean(), nullable=False),
        *_record_columns(),
        sa.UniqueConstraint("term_id"),
        schema=SCHEMA,
    )
    for column in ("organisation_id", "division_code"):
        op.create_index(
            op.f(f"ix_midterm_reviews_{column}"), "midterm_reviews", [column], schema=SCHEMA
        )


def downgrade() -> None:
    op.drop_table("midterm_reviews", schema=SCHEMA)
    op.drop_table("budget_reviews", schema=SCHEMA)
