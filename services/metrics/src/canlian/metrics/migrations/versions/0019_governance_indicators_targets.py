"""Governance indicators of issue 16: committee members selected by open examination,
contracts ending in the year renewed after the assessment, the average township target score
and the share of disabled cadres among federations' cadres (seed 002's 15%), counted from
the staff events (0015's federation-disabled-cadre-share is the reported figure of seed 003).
Townships passing acceptance and renewals over all decided assessments are 0014's.
docs/governance-rules.md says what each counts and where its target comes from.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"

# code, Chinese name, English name, unit, numerator, denominator, factor, seeds, description.
INDICATORS = [
    (
        "committee-members-open-examination",
        "专职委员公开考试选聘比例",
        "Committee members in post selected by open examination",
        "percent",
        "committee_members.open_examination",
        "committee_members.active",
        100.0,
        "003",
        "在岗专职委员中经公开考试择优录取的比例;种子 003 (二):通过公开考试和择优录取的形式选聘"
        "(未给数值)/ active committee members selected by open examination; seed 003 (二): "
        "selected by open examination (no figure)",
    ),
    (
        "contracts-ending-renewed-after-assessment",
        "到期合同考核合格续聘率",
        "Contracts ending in the year renewed after the annual assessment",
        "percent",
        "members.contracts_ending_renewed",
        "members.contracts_ending_assessed",
        100.0,
        "003",
        "合同于考核年度内到期、已作出年度考核结论的专职委员中续聘的比例;种子 003:考核合格连续"
        "使用(未给数值)/ of the decided assessments of contracts ending in the assessed year, "
        "those that renewed the contract; seed 003: 考核合格连续使用 (no figure)",
    ),
    (
        "average-township-score",
        "乡镇目标考核平均得分",
        "Average township target score",
        "score",
        "township_scores.total_tenths",
        "township_scores.townships",
        0.1,
        "003",
        "已完成年度目标考核的乡镇最近一年总分之和除以乡镇数(百分制);种子 003:实行百分制目标"
        "考核制度(未给目标分)/ sum of the townships' latest year-end totals over the townships "
        "scored (100 points); seed 003: 百分制目标考核 (no target score)",
    ),
    (
        "disabled-cadres-among-federation-cadres",
        "残联机关在编干部中残疾人干部比例",
        "Disabled cadres among federations' cadres",
        "percent",
        "federation_staff.disabled_cadres",
        "federation_staff.cadres",
        100.0,
        "002, 003",
        "残联机关在编干部中残疾人的比例(挂职、兼职不计);种子 002:残联机关配备残疾人干部比例不"
        "低于15%;种子 003:市残联机关残疾人干部达15%以上 / disabled persons among the cadres "
        "on federations' staff (seconded and part-time staff not counted); seed 002: at least 15%",
    ),
]


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    for code, name_zh, name_en, unit, numerator, denominator, factor, source, text in INDICATORS:
        bind.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.indicators (code, name_zh, name_en, kind, unit, "
                "numerator, denominator, factor, description, source, position, built_in, "
                "created_at) SELECT :code, :name_zh, :name_en, 'derived', :unit, "
                ":numerator, :denominator, :factor, :description, :source, "
                f"coalesce(max(position), 0) + 1, true, :now FROM {SCHEMA}.indicators"
            ),
            {
                "code": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "unit": unit,
                "numerator": numerator,
                "denominator": denominator,
                "factor": factor,
                "description": text,
                "source": source,
                "now": now,
            },
        )


def downgrade() -> None:
    codes = [row[0] for row in INDICATORS]
    bind = op.get_bind()
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.plan_targets WHERE indicator_code = ANY(:codes)"),
        {"codes": codes},
    )
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.indicators WHERE code = ANY(:codes)"), {"codes": codes}
    )
