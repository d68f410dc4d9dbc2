"""Request and response bodies of plans, targets and reported values."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from canlian.common.divisions import KnownDivisionCode
from canlian.common.values import FiniteFloat, HumanText
from canlian.metrics.hierarchy import Level
from canlian.metrics.request_body import RequestBody

PLAN_CODE = r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"


class Comparator(StrEnum):
    """目标比较方式:ge ≥,le ≤,eq =。"""

    GE = "ge"
    LE = "le"
    EQ = "eq"


class Apportionment(StrEnum):
    """数量目标如何分解到下级:villages 按村(社区)数分配。"""

    VILLAGES = "villages"


class PlanCreate(RequestBody):
    code: str = Field(pattern=PLAN_CODE, description="规划代码,如 gs-12th / plan code")
    name: HumanText = Field(max_length=100, description="名称,如 十二五 / name")
    region: KnownDivisionCode = Field(description="规划所属区划 / region the plan is issued for")
    start_year: int = Field(ge=2000, le=2100, description="起始年 / first year")
    end_year: int = Field(ge=2000, le=2100, description="终止年 / last year")
    midterm_year: int = Field(ge=2000, le=2100, description="中期评估年 / mid-term review year")


class PlanRead(BaseModel):
    code: str = Field(description="规划代码 / plan code")
    name: str = Field(description="名称 / name")
    region: str = Field(description="规划所属区划 / region")
    start_year: int = Field(description="起始年 / first year")
    end_year: int = Field(description="终止年 / last year")
    midterm_year: int = Field(description="中期评估年 / mid-term review year")
    created_at: datetime = Field(description="创建时间 / created at")


class TargetSet(RequestBody):
    indicator: str = Field(min_length=1, max_length=60, description="指标代码 / indicator")
    region: KnownDivisionCode = Field(description="设定目标的区划 / region the target is set on")
    comparator: Comparator = Field(description="ge ≥ / le ≤ / eq =")
    final_value: FiniteFloat = Field(description="终期目标值 / final target")
    midterm_value: FiniteFloat | None = Field(
        default=None, description="中期目标值 / mid-term target"
    )
    applies_to: Level | None = Field(
        default=None,
        description="只适用于其下该层级的区划,如省内每个县 ≥30;空为本级及以下全部 / only the "
        "regions of this level within the region (e.g. each county >= 30)",
    )
    apportionment: Apportionment | None = Field(
        default=None,
        description="数量目标分解到下级的规则(villages 按村、社区数);空为不分解,只属本区划;"
        "比率目标不分解,本级及以下均适用 / how a count target is split over the regions below "
        "(villages: in proportion to villages); none keeps it on its region",
    )


class TargetsSet(RequestBody):
    targets: list[TargetSet] = Field(min_length=1, max_length=1000)


class PlanTargetRead(BaseModel):
    indicator: str = Field(description="指标 / indicator")
    region: str = Field(description="区划 / region")
    applies_to: Level | None = Field(
        description="只适用于该层级(空为本级及以下全部)/ only regions of this level"
    )
    comparator: Comparator = Field(description="比较方式 / comparator")
    final_value: float = Field(description="终期目标值 / final target")
    midterm_value: float | None = Field(description="中期目标值 / mid-term target")
    apportionment: Apportionment | None = Field(
        description="数量目标分解规则,空为不分解 / how a count target is split below"
    )
    updated_at: datetime = Field(description="修改时间 / changed at")
    updated_by: str = Field(description="修改人 / changed by")


class TargetChange(BaseModel):
    indicator: str = Field(description="指标 / indicator")
    region: str = Field(description="区划 / region")
    change: str = Field(description="原目标 -> 新目标 / before -> after")
    changed_by: str = Field(description="修改人 / who")
    changed_at: datetime = Field(description="修改时间 / when")


# A county's count of people, households or places: bounded well above China's population.
_COUNT_LIMIT = 10**10


class ReportedValueSubmit(RequestBody):
    """A value, or a ratio's numerator and denominator (the value is then computed)."""

    indicator: str = Field(min_length=1, max_length=60, description="指标代码 / indicator")
    region: KnownDivisionCode = Field(description="区划 / region")
    year: int = Field(ge=2000, le=2100, description="年度 / year")
    value: FiniteFloat | None = Field(
        default=None,
        description="数值;填了分子、分母时不填,由其计算 / value; omitted when the numerator "
        "and denominator are given (it is computed from them)",
    )
    numerator: int | None = Field(
        default=None,
        le=_COUNT_LIMIT,
        description="分子,如已康复的 0–6 岁残疾儿童数 / numerator, e.g. children rehabilitated",
    )
    denominator: int | None = Field(
        default=None,
        le=_COUNT_LIMIT,
        description="分母,如需康复的 0–6 岁残疾儿童数 / denominator, e.g. children needing it",
    )

    @model_validator(mode="after")
    def _value_or_counts(self) -> ReportedValueSubmit:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError(
                "a numerator needs its denominator and the other way round / 分子、分母须同时填写"
            )
        if self.numerator is None and self.value is None:
            raise ValueError(
                "give a value, or a numerator and a denominator / 请填数值,或填分子和分母"
            )
        if self.numerator is not None and self.value is not None:
            raise ValueError(
                "give a value or a numerator and denominator, not both / 数值与分子分母只填一种"
            )
        return self


class ReportedValuesSubmit(RequestBody):
    values: list[ReportedValueSubmit] = Field(min_length=1, max_length=5000)


class ReportedValueRead(BaseModel):
    indicator: str = Field(description="指标 / indicator")
    region: str = Field(description="区划 / region")
    year: int = Field(description="年度 / year")
    value: float = Field(description="数值 / value")
    numerator: int | None = Field(default=None, description="分子 / numerator")
    denominator: int | None = Field(default=None, description="分母 / denominator")
    submitted_by: str = Field(description="填报人 / submitted by")
    submitted_at: datetime = Field(description="填报时间 / submitted at")


class ReportedValuesAccepted(BaseModel):
    accepted: int = Field(description="已保存条数 / rows stored")
