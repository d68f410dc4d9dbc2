"""Regional values of the needs service's policy parameters, each in force from a date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('policy_values',
    sa.Column('parameter', sa.String(length=60), nullable=False),
    sa.Column('division_code', DivisionCodeType, nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('value', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('set_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('parameter', 'division_code', 'effective_from', name=op.f('pk_policy_values')),
    schema='needs'
    )


def downgrade() -> None:
    op.drop_table('policy_values', schema='needs')
