"""Division names: the registry's names of divisions, kept from its events and loaded from
its dataset, so that messages name a division beside its code.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from canlian.common.db.platform_migrations import create_division_names_v1, drop_division_names_v1

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "cards"


def upgrade() -> None:
    create_division_names_v1(SCHEMA)


def downgrade() -> None:
    drop_division_names_v1(SCHEMA)
