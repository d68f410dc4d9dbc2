"""The division hierarchy as the metrics service names it: levels, their names in counters
and reports, and the rule that a level asked for must lie below the region."""

from __future__ import annotations

from enum import StrEnum

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message

LEVEL_NAMES = {0: "nation", 1: "province", 2: "city", 3: "county", 4: "township", 5: "village"}


LEVEL_NAMES_ZH = {0: "全国", 1: "省级", 2: "市级", 3: "县级", 4: "乡镇级", 5: "村级"}


NATION_NAME = "全国"


class Level(StrEnum):
    """层级 / a level of the hierarchy."""

    PROVINCE = "province"  # 省
    CITY = "city"  # 市
    COUNTY = "county"  # 县
    TOWNSHIP = "township"  # 乡镇
    VILLAGE = "village"  # 村(社区)

    @property
    def number(self) -> int:
        return {"province": 1, "city": 2, "county": 3, "township": 4, "village": 5}[self.value]

    @classmethod
    def of(cls, number: int) -> Level | None:
        return next((level for level in cls if level.number == number), None)


class LevelNotBelow(InvalidInput):
    code = "level-not-below"
    title = Message(zh="层级无效", en="Invalid level")
    detail = Message(
        zh="所选层级须低于区划 {region} 的层级;例如省级区划可下钻到市级、县级、乡级或村级",
        en="The level must lie below region {region}; a province drills down to cities, "
        "counties, townships or villages",
    )
