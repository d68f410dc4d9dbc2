"""A station or team is registered once per name and division.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "volunteers"


def upgrade() -> None:
    op.create_index(
        "uq_stations_division_name",
        "stations",
        ["division_code", "name"],
        unique=True,
        schema=SCHEMA,
    )
    op.create_index(
        "uq_teams_division_name", "teams", ["division_code", "name"], unique=True, schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_index("uq_teams_division_name", table_name="teams", schema=SCHEMA)
    op.drop_index("uq_stations_division_name", table_name="stations", schema=SCHEMA)
