"""The annual assessment decides: the policy weight, the combined score, the decision (renew,
improvement plan, dismiss) and the contract end it moved.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "members"
_COLUMNS = (
    ("performance_weight", sa.Numeric(5, 2)),
    ("combined_score", sa.Numeric(5, 2)),
    ("decision", sa.String(30)),
    ("decided_on", sa.Date()),
    ("contract_end_before", sa.Date()),
    ("contract_end_after", sa.Date()),
)


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("assessments", sa.Column(name, type_, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    for name, _ in reversed(_COLUMNS):
        op.drop_column("assessments", name, schema=SCHEMA)
