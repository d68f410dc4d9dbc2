"""Metrics' copy of the owners' policy values (seats, funds minimums), kept from their
PolicyValueSet events with their history (canlian.common.policy_values).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from canlian.common.policy_values.migration import create_policy_values, drop_policy_values

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    create_policy_values(SCHEMA)


def downgrade() -> None:
    drop_policy_values(SCHEMA)
