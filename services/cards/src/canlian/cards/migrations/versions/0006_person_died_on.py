"""A person's death ends the person: the day a card was cancelled for death.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "cards"


def upgrade() -> None:
    op.add_column("persons", sa.Column("died_on", sa.Date(), nullable=True), schema=SCHEMA)
    # Cards already cancelled for death end their holders too.
    op.execute(
        f"UPDATE {SCHEMA}.persons SET died_on = ("
        f"SELECT max(c.ended_on) FROM {SCHEMA}.cards c "
        f"WHERE c.person_id = persons.id AND c.end_reason = 'death')"
    )


def downgrade() -> None:
    op.drop_column("persons", "died_on", schema=SCHEMA)
