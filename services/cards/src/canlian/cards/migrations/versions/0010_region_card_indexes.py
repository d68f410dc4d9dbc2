"""A region's cards found from indexes alone: the card list's page of ids by division code
and id (replacing the index of division codes, which it leads with), and the holders report's
valid cards by division code with their category, grade and generation. At national scale a
county's 20,000 cards or a province's million are spread over the whole table: sorting or
counting them from the table visits a page per card.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "cards"
INDEX = "ix_cards_valid_division_code_category_grade_generation"


def upgrade() -> None:
    op.drop_index("ix_cards_division_code", table_name="cards", schema=SCHEMA)
    op.create_index("ix_cards_division_code_id", "cards", ["division_code", "id"], schema=SCHEMA)
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
    op.drop_index("ix_cards_division_code_id", table_name="cards", schema=SCHEMA)
    op.create_index("ix_cards_division_code", "cards", ["division_code"], schema=SCHEMA)
