"""Leadership composition compliance is an indicator of the catalogue: federations whose
current leadership meets every composition rule of seed 002 (congress, presidium, disabled
cadre; a township's full-time chair).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"
CODE = "leadership-composition-compliance"


def upgrade() -> None:
    op.get_bind().execute(
        sa.text(
            f"INSERT INTO {SCHEMA}.indicators (code, name_zh, name_en, kind, unit, numerator, "
            "denominator, factor, description, source, position, built_in, created_at) "
            "SELECT :code, :name_zh, :name_en, 'derived', 'percent', :numerator, :denominator, "
            f"100.0, :description, '002', coalesce(max(position), 0) + 1, true, :now "
            f"FROM {SCHEMA}.indicators"
        ),
        {
            "code": CODE,
            "name_zh": "残联领导班子构成达标率",
            "name_en": "Federations whose leadership meets every composition rule",
            "numerator": "federations.leadership_compliant",
            "denominator": "federations.province+federations.city+federations.county"
            "+federations.township",
            "description": "本届代表大会、主席团中残疾人及亲友、自强模范和基层代表的比例,市县班子"
            "残疾人干部,乡镇专职理事长,均达标的残联占残联总数的比例 / share of federations "
            "whose current term meets every composition rule",
            "now": datetime.now(UTC),
        },
    )


def downgrade() -> None:
    op.get_bind().execute(
        sa.text(f"DELETE FROM {SCHEMA}.indicators WHERE code = :code"), {"code": CODE}
    )
