"""The read model's version (canlian.metrics.answers): one row, moved in the transaction of
every write to metrics, so each process keeps indicator answers while it stays and an ETag
names the state an answer was read from. Starts at 0; the first write moves it to the
clock's microseconds.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    table = op.create_table(
        "read_model_version",
        sa.Column("id", sa.SmallInteger(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        schema=SCHEMA,
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("read_model_version", schema=SCHEMA)
