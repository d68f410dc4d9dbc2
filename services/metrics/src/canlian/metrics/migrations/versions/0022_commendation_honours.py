"""Honours of the commendation series (seed 004: 爱心系列评选 every 2 years, 自强系列评选 once
in five; seed 000: 自强与助残 表彰) counted from the registry's commendation events: the
nominations the level above approved, at the nominee's division, per programme. The seeds set
each series' cadence, not a number of honours: the indicators carry no target, and the honours
of one cycle are the difference of two as-of values. docs/governance-rules.md.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"

# code, Chinese name, English name, numerator, description.
INDICATORS = [
    (
        "caring-series-honours",
        "爱心(助残)系列表彰数",
        "Honours of the caring (disability-support) series",
        "commendations.honours.caring",
        "经上级批准的爱心(助残)系列表彰(先进个人、先进集体),按被表彰者所在区划;种子 004:爱心"
        "系列评选每2年组织1次(未给表彰数)/ approved honours of the caring series (persons and "
        "organisations) at the nominee's division; seed 004: a round every 2 years (no number)",
    ),
    (
        "self-reliance-series-honours",
        "自强系列表彰数",
        "Honours of the self-reliance series",
        "commendations.honours.self_reliance",
        "经上级批准的自强系列表彰(自强模范),按被表彰者所在区划;种子 004:自强系列评选五年内组织"
        "1次(未给表彰数)/ approved honours of the self-reliance series at the nominee's "
        "division; seed 004: a round once in five years (no number)",
    ),
]


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    for code, name_zh, name_en, numerator, text in INDICATORS:
        bind.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.indicators (code, name_zh, name_en, kind, unit, "
                "numerator, denominator, factor, description, source, position, built_in, "
                "created_at) SELECT :code, :name_zh, :name_en, 'derived', 'count', "
                ":numerator, NULL, 1.0, :description, '000, 004', "
                f"coalesce(max(position), 0) + 1, true, :now FROM {SCHEMA}.indicators"
            ),
            {
                "code": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "numerator": numerator,
                "description": text,
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
