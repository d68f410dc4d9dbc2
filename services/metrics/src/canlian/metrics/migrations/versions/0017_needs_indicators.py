"""Indicators of the needs service's records (issue 15): household files per card holder,
visits on schedule, needs and petitions handled in time, satisfaction, the rehabilitation
service rate over the files, and townships with an open 残疾人之家. docs/needs-indicators.md
says what each counts and where its target comes from.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"

# code, Chinese name, English name, numerator, denominator, seeds, description (target).
INDICATORS = [
    (
        "household-file-rate",
        "持证残疾人建档率",
        "Card holders with a household file",
        "needs.filed_persons",
        "cards.valid",
        "003",
        "家庭档案(一户一档)中的持证残疾人占有效残疾人证数的比例;种子 003 (三):建档率达到70% / "
        "card holders in a household file over valid cards; seed 003 (三): 70%",
    ),
    (
        "household-visits-on-schedule",
        "特殊困难残疾人家庭按期访视率",
        "Visits to households in special difficulty made on schedule",
        "needs.visits_on_schedule",
        "needs.visits_due",
        "001, 002",
        "按访视计划应访的入户访视中按期完成的比例(定期访视,种子未给数值)/ visits due by the "
        "schedule that were made by their due date (seeds 001, 002: regular visits, no figure)",
    ),
    (
        "needs-closed-in-time",
        "服务需求按时办结率",
        "Needs closed within their deadline",
        "needs.closed_in_time",
        "needs.closed",
        "002",
        "已办结的服务需求中在办理时限内办结的比例(种子未给数值)/ closed needs closed within "
        "the deadline of their step (seed 002, no figure)",
    ),
    (
        "petitions-accepted-in-time",
        "网络信访按期受理率",
        "Petitions accepted within the statutory deadline",
        "needs.petitions_accepted_in_time",
        "needs.petitions_accepted",
        "002, 004",
        "已受理的网络信访中在法定受理期限内受理的比例(种子未给数值)/ accepted petitions "
        "accepted within the statutory deadline (seeds 002, 004, no figure)",
    ),
    (
        "petitions-closed-in-time",
        "网络信访按期办结率",
        "Petitions closed within the statutory deadline",
        "needs.petitions_closed_in_time",
        "needs.petitions_closed",
        "002, 004",
        "已办结的网络信访中在法定办理期限内办结的比例(种子未给数值)/ closed petitions closed "
        "within the statutory deadline (seeds 002, 004, no figure)",
    ),
    (
        "need-satisfaction-rate",
        "服务需求满意率",
        "Needs rated satisfied or basically satisfied",
        "needs.satisfied+needs.basically_satisfied",
        "needs.rated",
        "002",
        "已评价的办结需求中评价满意和基本满意的比例(群众满意度测评,种子未给数值)/ rated "
        "closed needs rated satisfied or basically satisfied (seed 002, no figure)",
    ),
    (
        "household-rehabilitation-service-rate",
        "残疾人康复服务率(家庭档案)",
        "Filed disabled persons in need of rehabilitation who receive it",
        "needs.services_receiving.rehabilitation",
        "needs.services_in_need.rehabilitation",
        "003",
        "家庭档案中有康复需求(已享受或有需求未享受)的残疾人中已享受康复服务的比例;种子 003 "
        "(三):康复服务率达到70% / filed disabled members receiving rehabilitation over those "
        "who need it; seed 003 (三): 70%",
    ),
    (
        "township-home-of-disabled-coverage",
        "乡镇(街道)残疾人之家覆盖率",
        "Townships with an open 残疾人之家",
        "home_of_disabled.township",
        "divisions.township",
        "002, 003",
        "乡镇(街道)或其村(社区)有运营中残疾人之家的乡镇占乡镇总数的比例(种子未给数值)/ "
        "townships with an open 残疾人之家 in them over townships (seeds 002, 003, no figure)",
    ),
]


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    for code, name_zh, name_en, numerator, denominator, source, description in INDICATORS:
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
                "description": description,
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
