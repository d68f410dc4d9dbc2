"""Designated assessment institutions; an assessment names one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "cards"


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_institutions"),
        sa.UniqueConstraint(
            "division_code", "name", name="uq_institutions_division_code_name"
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_institutions_division_code", "institutions", ["division_code"], schema=SCHEMA
    )
    with op.batch_alter_table("applications", schema=SCHEMA) as batch:
        batch.add_column(sa.Column("institution_id", BigIntegerKey, nullable=True))
        batch.create_foreign_key(
            "fk_applications_institution_id_institutions",
            "institutions",
            ["institution_id"],
            ["id"],
            referent_schema=SCHEMA,
        )


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=SCHEMA) as batch:
        batch.drop_constraint("fk_applications_institution_id_institutions", type_="foreignkey")
        batch.drop_column("institution_id")
    op.drop_table("institutions", schema=SCHEMA)
