"""Division codes compared byte by byte on PostgreSQL, so that region-prefix queries use
their b-tree indexes whatever the database's collation (production's is UTF-8).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from canlian.common.db.code_collation import (
    downgrade_codes_to_default_collation,
    upgrade_codes_to_c_collation,
)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "members"
CODE_COLUMNS = [('allowance_minimums', 'division_code'), ('members', 'division_code'), ('organisations', 'division_code'), ('appointments', 'division_code'), ('organisation_coverage', 'division_code'), ('trainings', 'division_code'), ('assessments', 'division_code')]


def upgrade() -> None:
    upgrade_codes_to_c_collation(SCHEMA, CODE_COLUMNS)


def downgrade() -> None:
    downgrade_codes_to_default_collation(SCHEMA, CODE_COLUMNS)
