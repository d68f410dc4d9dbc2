"""What township target scoring refuses."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound
from canlian.common.i18n import Message


class SheetNotFound(NotFound):
    code = "township-score-sheet-not-found"
    title = Message(zh="考核表不存在", en="Score sheet not found")
    detail = Message(zh="考核表 {key} 不存在", en="Score sheet {key} does not exist")


class SheetInvalid(InvalidInput):
    code = "township-score-sheet-invalid"
    title = Message(zh="考核表有误", en="Invalid score sheet")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class SheetExists(Conflict):
    code = "township-score-sheet-exists"
    title = Message(zh="该年度考核表已存在", en="The year's sheet exists")
    detail = Message(
        zh="{county} 的 {year} 年度乡镇目标考核表已存在(编号 {sheet_id})",
        en="{county} already has its {year} township sheet ({sheet_id})",
    )


class SheetScored(Conflict):
    code = "township-score-sheet-scored"
    title = Message(zh="已完成年终评分", en="Already scored")
    detail = Message(
        zh="考核表 {sheet_id} 已完成年终评分,不能再修改",
        en="Sheet {sheet_id} has its year-end scores; it no longer changes",
    )


class NotTownshipOfCounty(InvalidInput):
    code = "township-not-of-county"
    title = Message(zh="不是该县的乡镇", en="Not a township of the county")
    detail = Message(
        zh="{township} 不是 {county} 下的乡镇(街道)",
        en="{township} is not a township (street) of {county}",
    )


class ItemScoreInvalid(InvalidInput):
    code = "township-item-score-invalid"
    title = Message(zh="评分有误", en="Invalid score")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class SheetNotScored(Conflict):
    code = "township-score-sheet-not-scored"
    title = Message(zh="尚未年终评分", en="Not scored yet")
    detail = Message(
        zh="考核表 {sheet_id} 尚未完成年终评分,没有排名可导出",
        en="Sheet {sheet_id} has no year-end scores yet; there is no ranking to export",
    )
