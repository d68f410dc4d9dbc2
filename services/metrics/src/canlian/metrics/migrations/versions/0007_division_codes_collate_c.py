"""Division codes compared byte by byte on PostgreSQL, so that region-prefix queries use
their b-tree indexes whatever the database's collation (production's is UTF-8).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from canlian.common.db.code_collation import (
    downgrade_codes_to_default_collation,
    upgrade_codes_to_c_collation,
)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"
CODE_COLUMNS = [('counters', 'division_code'), ('daily_changes', 'division_code'), ('division_tallies', 'division_code'), ('divisions', 'code'), ('divisions', 'parent_code'), ('plans', 'division_code'), ('plan_targets', 'division_code'), ('reported_values', 'division_code'), ('submission_deadlines', 'division_code'), ('submissions', 'division_code')]


def upgrade() -> None:
    upgrade_codes_to_c_collation(SCHEMA, CODE_COLUMNS)


def downgrade() -> None:
    downgrade_codes_to_default_collation(SCHEMA, CODE_COLUMNS)
