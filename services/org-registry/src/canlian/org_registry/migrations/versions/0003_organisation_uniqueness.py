"""One active federation per division, one active special association per category.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"
FEDERATION = "kind = 'federation' AND status = 'established'"
SPECIAL = "kind = 'special_association' AND status = 'established'"


def upgrade() -> None:
    op.create_index(
        "uq_organisations_active_federation",
        "organisations",
        ["division_code"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text(FEDERATION),
        sqlite_where=sa.text(FEDERATION),
    )
    op.create_index(
        "uq_organisations_active_special_association",
        "organisations",
        ["division_code", "special_category"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text(SPECIAL),
        sqlite_where=sa.text(SPECIAL),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_organisations_active_special_association", table_name="organisations", schema=SCHEMA
    )
    op.drop_index("uq_organisations_active_federation", table_name="organisations", schema=SCHEMA)
