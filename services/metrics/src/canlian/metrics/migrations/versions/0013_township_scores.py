"""Township target scoring: a county's 100-point sheet per year, its items, the townships'
item scores and year-end results.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"
SHEETS = f"{SCHEMA}.township_score_sheets.id"


def upgrade() -> None:
    op.create_table(
        "township_score_sheets",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("county_code", DivisionCodeType, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("scored_at", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("county_code", "year"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_township_score_sheets_county_code",
        "township_score_sheets",
        ["county_code"],
        schema=SCHEMA,
    )
    op.create_table(
        "township_score_items",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("sheet_id", BigIntegerKey, sa.ForeignKey(SHEETS), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("points", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("indicator_code", sa.String(80), nullable=True),
        sa.Column("comparator", sa.String(10), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.UniqueConstraint("sheet_id", "code"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_township_score_items_sheet_id", "township_score_items", ["sheet_id"], schema=SCHEMA
    )
    op.create_table(
        "township_item_scores",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("sheet_id", BigIntegerKey, sa.ForeignKey(SHEETS), nullable=False),
        sa.Column("township_code", DivisionCodeType, nullable=False),
        sa.Column("item_code", sa.String(40), nullable=False),
        sa.Column("score", sa.Numeric(5, 1), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("scored_by", sa.String(200), nullable=False),
        sa.Column("scored_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("sheet_id", "township_code", "item_code"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_township_item_scores_sheet_id", "township_item_scores", ["sheet_id"], schema=SCHEMA
    )
    op.create_table(
        "township_results",
        sa.Column("sheet_id", BigIntegerKey, sa.ForeignKey(SHEETS), primary_key=True),
        sa.Column("township_code", DivisionCodeType, primary_key=True),
        sa.Column("total", sa.Numeric(5, 1), nullable=False),
        sa.Column("grade", sa.String(15), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in (
        "township_results",
        "township_item_scores",
        "township_score_items",
        "township_score_sheets",
    ):
        op.drop_table(table, schema=SCHEMA)
