"""The holders report read from an index alone: valid cards by division code, with their
category, grade and generation, so that a province's report (a million cards at national
scale, spread over the whole table) is an index-only scan instead of a visit to every page.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "cards"
INDEX = "ix_cards_valid_division_code_category_grade_generation"


def upgrade() -> None:
    op.create_index(
        INDEX,
        "cards",
        ["division_code", "category", "grade", "generation"],
        schema=SCHEMA,
        postgresql_where=sa.text("status = 'valid'"),
        sqlite_where=sa.text("status = 'valid'"),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="cards", schema=SCHEMA)
