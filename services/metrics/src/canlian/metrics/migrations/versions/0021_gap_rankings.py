"""Drill-down rankings kept ahead of time: per plan, derived indicator and level, every
region's rank and gap against the target that applies to it (rankings.keeping), so the
national drill-down to every village reads a page off an index instead of ranking 620,573
villages per request. Empty until a plan's targets change, divisions are loaded or the
rollups rebuilt; until then the drill-down ranks live, as before.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    op.create_table(
        "gap_rankings",
        sa.Column(
            "plan_code",
            sa.String(40),
            sa.ForeignKey(f"{SCHEMA}.plans.code", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("indicator_code", sa.String(60), primary_key=True),
        sa.Column("level", sa.SmallInteger(), primary_key=True),
        schema=SCHEMA,
    )
    op.create_table(
        "gap_ranks",
        sa.Column("plan_code", sa.String(40), primary_key=True),
        sa.Column("indicator_code", sa.String(60), primary_key=True),
        sa.Column("division_code", DivisionCodeType, primary_key=True),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("final_rank", sa.SmallInteger(), nullable=False),
        sa.Column("final_minus_gap", sa.Float(), nullable=False),
        sa.Column("midterm_rank", sa.SmallInteger(), nullable=False),
        sa.Column("midterm_minus_gap", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_code", "indicator_code", "level"],
            [
                f"{SCHEMA}.gap_rankings.plan_code",
                f"{SCHEMA}.gap_rankings.indicator_code",
                f"{SCHEMA}.gap_rankings.level",
            ],
            ondelete="CASCADE",
            name="fk_gap_ranks_ranking",
        ),
        schema=SCHEMA,
    )
    for milestone in ("final", "midterm"):
        op.create_index(
            f"ix_gap_ranks_{milestone}",
            "gap_ranks",
            [
                "plan_code",
                "indicator_code",
                "level",
                f"{milestone}_rank",
                f"{milestone}_minus_gap",
                "division_code",
            ],
            schema=SCHEMA,
        )


def downgrade() -> None:
    op.drop_table("gap_ranks", schema=SCHEMA)
    op.drop_table("gap_rankings", schema=SCHEMA)
