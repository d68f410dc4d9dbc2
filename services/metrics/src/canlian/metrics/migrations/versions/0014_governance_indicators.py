"""Two governance indicators of seed 003: township federations that passed standardisation
acceptance, and annual assessments that renewed the contract.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"
INDICATORS = (
    {
        "code": "townships-passing-acceptance",
        "name_zh": "乡镇(街道)残联规范化建设验收合格率",
        "name_en": "Township federations that passed standardisation acceptance",
        "numerator": "acceptance.townships_passed",
        "denominator": "federations.township",
        "description": "经上级实地验收合格(当前有效的验收记录)的乡镇残联占乡镇残联总数的比例 / "
        "share of township federations whose current acceptance inspection passed",
    },
    {
        "code": "contracts-renewed-after-assessment",
        "name_zh": "专职委员考核合格续聘率",
        "name_en": "Annual assessments of committee members that renewed the contract",
        "numerator": "members.contracts_renewed_after_assessment",
        "denominator": "members.assessments_decided",
        "description": "年度考核结论为续聘的占已作出结论的考核的比例(考核合格连续使用)/ share of "
        "decided annual assessments that renewed the contract",
    },
)


def upgrade() -> None:
    for indicator in INDICATORS:
        op.get_bind().execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.indicators (code, name_zh, name_en, kind, unit, "
                "numerator, denominator, factor, description, source, position, built_in, "
                "created_at) SELECT :code, :name_zh, :name_en, 'derived', 'percent', "
                ":numerator, :denominator, 100.0, :description, '003', "
                f"coalesce(max(position), 0) + 1, true, :now FROM {SCHEMA}.indicators"
            ),
            {**indicator, "now": datetime.now(UTC)},
        )


def downgrade() -> None:
    for indicator in INDICATORS:
        op.get_bind().execute(
            sa.text(f"DELETE FROM {SCHEMA}.indicators WHERE code = :code"),
            {"code": indicator["code"]},
        )
