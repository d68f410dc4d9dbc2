"""What the staffing questions refuse."""

from __future__ import annotations

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message


class RegionTooWide(InvalidInput):
    code = "region-too-wide"
    title = Message(zh="区域范围过大", en="Region too wide")
    detail = Message(
        zh="按乡级区划汇总请选择市级或县级区划(当前 {region})",
        en="Summaries by township need a city or county (got {region})",
    )
