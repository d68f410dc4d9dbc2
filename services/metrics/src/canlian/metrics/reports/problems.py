"""Problems of the statistical reports."""

from __future__ import annotations

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message


class ReportTooLarge(InvalidInput):
    code = "report-too-large"
    title = Message(zh="报表过大", en="Report too large")
    detail = Message(
        zh="该报表包含 {rows} 个区划,超过上限 {limit};请选择更小的区划或更少的层级",
        en="The report would hold {rows} regions, over the limit of {limit}; pick a smaller "
        "region or fewer levels",
    )


class InvalidPeriod(InvalidInput):
    code = "invalid-period"
    title = Message(zh="统计期无效", en="Invalid period")
    detail = Message(
        zh="统计期应为 final(终期)、midterm(中期)或规划期内的年份,收到 {period}",
        en="The period is final, midterm or a year of the plan, got {period}",
    )
