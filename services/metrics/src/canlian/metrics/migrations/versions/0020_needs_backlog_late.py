"""The needs' in-time rates count the backlog: their denominators become the needs
(petitions) closed or accepted *and* those found open (not accepted) past their deadline, so
a county that leaves needs open past the deadline no longer scores 100%. docs/needs-indicators.md.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"

# code, new denominator, new description, old denominator, old description (0017's).
CHANGES = [
    (
        "needs-closed-in-time",
        "needs.closing_due",
        "已办结及逾期未办结的服务需求中按时办结(未曾逾期)的比例;逾期未办结的计为逾期"
        "(种子未给数值)/ needs closed within their deadline, of those closed and those open "
        "past their deadline (counted late) (seed 002, no figure)",
        "needs.closed",
        "已办结的服务需求中在办理时限内办结的比例(种子未给数值)/ closed needs closed within "
        "the deadline of their step (seed 002, no figure)",
    ),
    (
        "petitions-accepted-in-time",
        "needs.petitions_acceptance_due",
        "已受理及逾期未受理的网络信访中在法定受理期限内受理的比例;逾期未受理的计为逾期"
        "(种子未给数值)/ petitions accepted within the statutory deadline, of those accepted "
        "and those not accepted past it (counted late) (seeds 002, 004, no figure)",
        "needs.petitions_accepted",
        "已受理的网络信访中在法定受理期限内受理的比例(种子未给数值)/ accepted petitions "
        "accepted within the statutory deadline (seeds 002, 004, no figure)",
    ),
    (
        "petitions-closed-in-time",
        "needs.petitions_closing_due",
        "已办结及逾期未办结的网络信访中在法定办理期限内办结的比例;逾期未办结的计为逾期"
        "(种子未给数值)/ petitions closed within the statutory deadline, of those closed and "
        "those open past it (counted late) (seeds 002, 004, no figure)",
        "needs.petitions_closed",
        "已办结的网络信访中在法定办理期限内办结的比例(种子未给数值)/ closed petitions closed "
        "within the statutory deadline (seeds 002, 004, no figure)",
    ),
]

UPDATE = sa.text(
    f"UPDATE {SCHEMA}.indicators SET denominator = :denominator, description = :description "
    "WHERE code = :code"
)


def upgrade() -> None:
    bind = op.get_bind()
    for code, denominator, description, _, _ in CHANGES:
        bind.execute(UPDATE, {"code": code, "denominator": denominator, "description": description})


def downgrade() -> None:
    bind = op.get_bind()
    for code, _, _, denominator, description in CHANGES:
        bind.execute(UPDATE, {"code": code, "denominator": denominator, "description": description})
