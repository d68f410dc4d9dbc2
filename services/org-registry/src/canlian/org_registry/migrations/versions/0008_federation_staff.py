"""Federation staff (cadre, seconded, part-time; disabled or not; the executive council) and
their days at the grass roots per year (seed 002).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"


def upgrade() -> None:
    op.create_table(
        "federation_staff",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("name_encrypted", sa.Text(), nullable=False),
        sa.Column("employment", sa.String(20), nullable=False),
        sa.Column("is_disabled", sa.Boolean(), nullable=False),
        sa.Column("disability_category", sa.SmallInteger(), nullable=True),
        sa.Column("on_executive_council", sa.Boolean(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            [f"{SCHEMA}.organisations.id"],
            name=op.f("fk_federation_staff_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_staff")),
        schema=SCHEMA,
    )
    for column in ("organisation_id", "division_code"):
        op.create_index(
            op.f(f"ix_federation_staff_{column}"), "federation_staff", [column], schema=SCHEMA
        )
    op.create_table(
        "grassroots_days",
        sa.Column("staff_id", BigIntegerKey, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            [f"{SCHEMA}.federation_staff.id"],
            name=op.f("fk_grassroots_days_staff_id_federation_staff"),
        ),
        sa.PrimaryKeyConstraint("staff_id", "year", name=op.f("pk_grassroots_days")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("grassroots_days", schema=SCHEMA)
    op.drop_table("federation_staff", schema=SCHEMA)
