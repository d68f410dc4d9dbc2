"""Platform tables v2: the client's request id beside the server's in the audit log; the
shared rate limiter's counters.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from canlian.common.db.platform_migrations import (
    downgrade_platform_tables_v2,
    upgrade_platform_tables_v2,
)

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"


def upgrade() -> None:
    upgrade_platform_tables_v2(SCHEMA)


def downgrade() -> None:
    downgrade_platform_tables_v2(SCHEMA)
