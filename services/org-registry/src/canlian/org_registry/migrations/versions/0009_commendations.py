"""Commendations: programme rounds per region and year, nominations of persons (by their owning
service's id) and organisations, and their decisions by the level above.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"


def upgrade() -> None:
    op.create_table(
        "commendation_rounds",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("programme", sa.String(30), nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("cycle_years", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("programme", "division_code", "year"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_commendation_rounds_division_code",
        "commendation_rounds",
        ["division_code"],
        schema=SCHEMA,
    )
    op.create_table(
        "commendation_nominations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "round_id",
            sa.String(36),
            sa.ForeignKey(f"{SCHEMA}.commendation_rounds.id"),
            nullable=False,
        ),
        sa.Column("nominee_kind", sa.String(20), nullable=False),
        sa.Column("nominee_key", sa.String(120), nullable=False),
        sa.Column(
            "organisation_id",
            sa.String(36),
            sa.ForeignKey(f"{SCHEMA}.organisations.id"),
            nullable=True,
        ),
        sa.Column("person_service", sa.String(30), nullable=True),
        sa.Column("person_id", sa.String(64), nullable=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("citation", sa.String(2000), nullable=False),
        sa.Column("nominating_division_code", DivisionCodeType, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_by_division_code", DivisionCodeType, nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sa.String(1000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("nominated_by", sa.String(200), nullable=False),
        sa.Column("nominated_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("round_id", "nominee_key"),
        schema=SCHEMA,
    )
    for column in ("round_id", "organisation_id", "division_code", "status"):
        op.create_index(
            f"ix_commendation_nominations_{column}",
            "commendation_nominations",
            [column],
            schema=SCHEMA,
        )


def downgrade() -> None:
    op.drop_table("commendation_nominations", schema=SCHEMA)
    op.drop_table("commendation_rounds", schema=SCHEMA)
