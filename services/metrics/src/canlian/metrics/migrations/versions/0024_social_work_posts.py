"""The share of township committee members on social-work posts (seed 004: 将乡镇(街道)残疾人
专职委员纳入社工岗位, 将村居(社区)残疾人专职委员纳入公益性岗位). Seed 000's indicator of
township and community members on public-welfare posts stays: a region reads the one its plan
sets. The seed states the rule, not a share: no target.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"
CODE = "township-committee-members-social-work-posts"


def upgrade() -> None:
    op.get_bind().execute(
        sa.text(
            f"INSERT INTO {SCHEMA}.indicators (code, name_zh, name_en, kind, unit, "
            "numerator, denominator, factor, description, source, position, built_in, "
            "created_at) SELECT :code, :name_zh, :name_en, 'derived', 'percent', "
            ":numerator, :denominator, 100.0, :description, :source, "
            f"coalesce(max(position), 0) + 1, true, :now FROM {SCHEMA}.indicators"
        ),
        {
            "code": CODE,
            "name_zh": "乡镇(街道)专职委员纳入社工岗位比例",
            "name_en": "Township committee members on social-work posts",
            "numerator": "committee_members.social_work_post",
            "denominator": "committee_members.township",
            "description": "在岗乡镇(街道)专职委员中纳入社工岗位的比例;种子 004:将乡镇(街道)"
            "残疾人专职委员纳入社工岗位(未给比例)/ active township committee members on "
            "social-work posts, over all active township committee members; seed 004 (no share "
            "stated)",
            "source": "004",
            "now": datetime.now(UTC),
        },
    )


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.plan_targets WHERE indicator_code = :code"), {"code": CODE}
    )
    bind.execute(sa.text(f"DELETE FROM {SCHEMA}.indicators WHERE code = :code"), {"code": CODE})
