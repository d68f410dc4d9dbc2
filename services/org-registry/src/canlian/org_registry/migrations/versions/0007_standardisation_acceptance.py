"""Standardisation acceptance: checklists per region and level with their items, inspections
by the level above with each item's finding.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"


def upgrade() -> None:
    op.create_table(
        "acceptance_checklists",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("conditional_mark", sa.Integer(), nullable=False),
        sa.Column("validity_years", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("division_code", "level", "effective_from"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_acceptance_checklists_division_code",
        "acceptance_checklists",
        ["division_code"],
        schema=SCHEMA,
    )
    op.create_table(
        "acceptance_checklist_items",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column(
            "checklist_id",
            sa.String(36),
            sa.ForeignKey(f"{SCHEMA}.acceptance_checklists.id"),
            nullable=False,
        ),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("points", sa.SmallInteger(), nullable=False),
        sa.UniqueConstraint("checklist_id", "code"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_acceptance_checklist_items_checklist_id",
        "acceptance_checklist_items",
        ["checklist_id"],
        schema=SCHEMA,
    )
    op.create_table(
        "acceptance_inspections",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.String(36),
            sa.ForeignKey(f"{SCHEMA}.organisations.id"),
            nullable=False,
        ),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column(
            "checklist_id",
            sa.String(36),
            sa.ForeignKey(f"{SCHEMA}.acceptance_checklists.id"),
            nullable=True,
        ),
        sa.Column("inspector_division_code", DivisionCodeType, nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("total_score", sa.Numeric(5, 1), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(30), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("conditions", sa.String(2000), nullable=True),
        sa.Column(
            "reinspection_of",
            sa.String(36),
            sa.ForeignKey(f"{SCHEMA}.acceptance_inspections.id"),
            nullable=True,
        ),
        sa.Column("superseded_by", sa.String(36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        schema=SCHEMA,
    )
    for column in ("organisation_id", "division_code", "result"):
        op.create_index(
            f"ix_acceptance_inspections_{column}",
            "acceptance_inspections",
            [column],
            schema=SCHEMA,
        )
    op.create_index(
        "uq_acceptance_inspections_current",
        "acceptance_inspections",
        ["organisation_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("superseded_by IS NULL"),
    )
    op.create_table(
        "acceptance_findings",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column(
            "inspection_id",
            sa.String(36),
            sa.ForeignKey(f"{SCHEMA}.acceptance_inspections.id"),
            nullable=False,
        ),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("item_code", sa.String(40), nullable=False),
        sa.Column("item_title", sa.String(200), nullable=False),
        sa.Column("points", sa.SmallInteger(), nullable=False),
        sa.Column("score", sa.Numeric(5, 1), nullable=False),
        sa.Column("finding", sa.String(1000), nullable=True),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_acceptance_findings_inspection_id",
        "acceptance_findings",
        ["inspection_id"],
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in (
        "acceptance_findings",
        "acceptance_inspections",
        "acceptance_checklist_items",
        "acceptance_checklists",
    ):
        op.drop_table(table, schema=SCHEMA)
