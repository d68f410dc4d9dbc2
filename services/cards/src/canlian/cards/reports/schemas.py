"""Response bodies of the questions officials ask."""

from __future__ import annotations

from pydantic import BaseModel, Field

from canlian.cards.applications.schemas import ApplicationRead
from canlian.common.events.cards import (
    DisabilityCategory,
    DisabilityGrade,
)


class BacklogItem(ApplicationRead):
    days_waiting: int = Field(description="审核通过后等待天数 / days since approval")


class HolderCount(BaseModel):
    category: DisabilityCategory = Field(description="残疾类别 / category")
    grade: DisabilityGrade = Field(description="残疾等级 / grade")
    holders: int = Field(description="持证人数 / holders of a valid card")


class HoldersReport(BaseModel):
    region: str = Field(description="区划代码 / division")
    total: int = Field(description="持有效证人数 / holders of a valid card")
    second_generation: int = Field(description="其中第二代证 / of which second-generation")
    smart: int = Field(description="其中智能化证 / of which smart cards")
    by_category_grade: list[HolderCount] = Field(description="按类别和等级 / by category, grade")
