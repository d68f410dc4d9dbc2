"""Request and response bodies of the indicator catalogue (Chinese and English descriptions)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from canlian.common.values import FiniteFloat, HumanText, Multiline
from canlian.metrics.request_body import RequestBody

INDICATOR_CODE = r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$"


COUNTER_EXPRESSION = r"^[a-z0-9_.]{1,100}(\+[a-z0-9_.]{1,100}){0,9}$"


class IndicatorKind(StrEnum):
    DERIVED = "derived"  # 系统汇总:由计数项计算
    REPORTED = "reported"  # 部门填报


class IndicatorUnit(StrEnum):
    PERCENT = "percent"  # 百分比
    COUNT = "count"  # 个数 / 人数
    PERSON_TIMES = "person_times"  # 人次
    HOURS = "hours"  # 小时
    SCORE = "score"  # 分 (an average of scores)


# The unit as a report prints it beside a value; every unit has one (a test holds it).
UNIT_ZH: dict[IndicatorUnit, str] = {
    IndicatorUnit.PERCENT: "%",
    IndicatorUnit.COUNT: "个(人)",
    IndicatorUnit.PERSON_TIMES: "人次",
    IndicatorUnit.HOURS: "小时",
    IndicatorUnit.SCORE: "分",
}


class IndicatorMeasure(StrEnum):
    """How a reported indicator is reported and added up above the county."""

    RATIO = "ratio"  # 比率:各县填报分子、分母,上级为分子和 / 分母和
    COUNT = "count"  # 数量:各县填报数量,上级为各县之和
    PLAIN = "plain"  # 单值:直接填报,不向上汇总


class IndicatorRead(BaseModel):
    code: str = Field(description="指标代码 / indicator code")
    name_zh: str = Field(description="指标名称 / Chinese name")
    name_en: str = Field(description="英文名称 / English name")
    kind: IndicatorKind = Field(description="derived 系统汇总 / reported 部门填报")
    unit: IndicatorUnit = Field(description="单位 / unit")
    measure: IndicatorMeasure | None = Field(
        default=None,
        description="填报指标的口径:ratio 各县填分子分母、上级求和计算;count 各县填数量、上级求和;"
        "plain 直接填值、不汇总 / how a reported indicator is reported and summed upward",
    )
    numerator: list[str] = Field(description="分子计数项(求和)/ numerator counters, summed")
    denominator: list[str] = Field(description="分母计数项(求和)/ denominator counters, summed")
    factor: float = Field(description="系数,百分比为 100 / factor, 100 for percentages")
    description: str = Field(description="说明 / description")
    source: str = Field(description="依据(种子文件)/ source document")
    built_in: bool = Field(description="是否系统内置 / shipped with the system")


class IndicatorCreate(RequestBody):
    code: str = Field(pattern=INDICATOR_CODE, description="指标代码 / indicator code")
    name_zh: HumanText = Field(max_length=200, description="指标名称 / Chinese name")
    name_en: HumanText = Field(max_length=200, description="英文名称 / English name")
    kind: IndicatorKind = Field(description="derived 系统汇总 / reported 部门填报")
    unit: IndicatorUnit = Field(description="单位 / unit")
    measure: IndicatorMeasure | None = Field(
        default=None,
        description="填报指标的口径(默认 plain)/ how a reported indicator adds up (default plain)",
    )
    numerator: str | None = Field(
        default=None,
        pattern=COUNTER_EXPRESSION,
        description="分子:计数项,多个用 + 连接 / numerator counters joined by +",
    )
    denominator: str | None = Field(
        default=None,
        pattern=COUNTER_EXPRESSION,
        description="分母:计数项,多个用 + 连接 / denominator counters joined by +",
    )
    factor: FiniteFloat = Field(default=1.0, gt=0, le=1_000_000, description="系数 / factor")
    description: Annotated[str, Multiline(2000, required=False)] = Field(
        default="", description="说明 / description"
    )

    @model_validator(mode="after")
    def _derived_needs_numerator(self) -> IndicatorCreate:
        if self.kind is IndicatorKind.DERIVED and not self.numerator:
            raise ValueError("a derived indicator needs a numerator / 系统汇总指标需要分子")
        if self.kind is IndicatorKind.REPORTED and (self.numerator or self.denominator):
            raise ValueError("a reported indicator has no counters / 填报指标不设计数项")
        if self.kind is IndicatorKind.DERIVED and self.measure is not None:
            raise ValueError("a derived indicator has no measure / 系统汇总指标不设填报口径")
        return self


class CounterRead(BaseModel):
    counter: str = Field(description="计数项 / counter")
    description: str = Field(description="说明 / description")
