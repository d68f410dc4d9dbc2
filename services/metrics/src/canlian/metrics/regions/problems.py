"""Problems of a region's figures."""

from __future__ import annotations

from canlian.common.errors import InvalidInput, NotFound
from canlian.common.i18n import Message


class UnknownRegion(NotFound):
    code = "unknown-region"
    title = Message(zh="未找到该区划", en="Unknown region")
    detail = Message(
        zh="区划 {key} 没有统计数据,也不在已导入的区划中;请检查区划代码,"
        "或先导入区划(canlian metrics divisions load)",
        en="Region {key} has no statistics and is not among the loaded divisions; check the "
        "code, or load the divisions first (canlian metrics divisions load)",
    )


class InvalidRange(InvalidInput):
    code = "invalid-date-range"
    title = Message(zh="日期范围无效", en="Invalid date range")
    detail = Message(
        zh="起止日期应满足 start ≤ end,且不超过 366 天;收到 {start} 至 {end}",
        en="Use start <= end within 366 days; got {start} to {end}",
    )


class NotDerivedIndicator(InvalidInput):
    code = "not-a-derived-indicator"
    title = Message(zh="该指标没有逐日数据", en="No daily values for this indicator")
    detail = Message(
        zh="指标 {indicator} 为部门按年度填报,没有逐日数据;请用趋势查询",
        en="Indicator {indicator} is reported yearly; use the trend instead",
    )
