"""Indicators of the presidium's budget reviews (seed 002: 年度预算执行情况向主席团报告) and of
the mid-term reviews (seeds 000, 003: 届中考评), one per year: the journal holds a fact from
its date with no end, so "in the year" is the year in the counters' names, which never need
to lapse (contributions/reviews.py). Years 2021-2030, the 14th and 15th five-year plans. The
seeds state the rule, not a share: no target. docs/governance-rules.md.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"

YEARS = range(2021, 2031)
LEVELS = ("province", "city", "county", "township")
FEDERATIONS = "+".join(f"federations.{level}" for level in LEVELS)


def _indicators() -> list[tuple[str, str, str, str, str, str, str]]:
    """code, Chinese name, English name, numerator, denominator, description, source."""
    found = []
    for year in YEARS:
        found.append(
            (
                f"budget-reports-approved-{year}",
                f"{year}年度预算执行情况报告经主席团审议通过的残联比例",
                f"Federations whose {year} budget execution report the presidium approved",
                "+".join(f"budget_reports_approved.{year}.{level}" for level in LEVELS),
                FEDERATIONS,
                f"{year} 年度预算执行情况报告经本届主席团审议通过(未退回、未撤销)的省、市、县、乡镇"
                "残联占残联总数的比例,自审议日起计;种子 002:建立健全年度预算执行情况向主席团报告"
                f"并接受监督制度(未给比例)/ federations whose {year} budget report their "
                "presidium approved (not returned, not withdrawn), from the review's date, over "
                "all federations; seed 002 (no share stated)",
                "002",
            )
        )
    for year in YEARS:
        found.append(
            (
                f"midterm-reviews-done-{year}",
                f"届中在{year}年的残联任期届中考评完成率",
                f"Federations' terms at their middle in {year} reviewed mid-term",
                f"terms.reviewed_mid_term.{year}",
                f"terms.middle_in.{year}",
                f"届中日(任期起始日加任期天数之半)在 {year} 年的残联任期中,已由上级届中考评(未撤销)"
                "的比例,自考评日起计;种子 000:换届前、届中等关键环节的双重管理;003:对市、县残联"
                f"领导班子进行届中考评(未给比例)/ of the federations' terms whose middle falls in "
                f"{year}, the share the level above reviewed (not withdrawn), from the review's "
                "date; seeds 000, 003 (no share stated)",
                "000, 003",
            )
        )
    return found


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    for code, name_zh, name_en, numerator, denominator, text, source in _indicators():
        bind.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.indicators (code, name_zh, name_en, kind, unit, "
                "numerator, denominator, factor, description, source, position, built_in, "
                "created_at) SELECT :code, :name_zh, :name_en, 'derived', 'percent', "
                ":numerator, :denominator, 100.0, :description, :source, "
                f"coalesce(max(position), 0) + 1, true, :now FROM {SCHEMA}.indicators"
            ),
            {
                "code": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "numerator": numerator,
                "denominator": denominator,
                "description": text,
                "source": source,
                "now": now,
            },
        )


def downgrade() -> None:
    codes = [row[0] for row in _indicators()]
    bind = op.get_bind()
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.plan_targets WHERE indicator_code = ANY(:codes)"),
        {"codes": codes},
    )
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.indicators WHERE code = ANY(:codes)"), {"codes": codes}
    )
