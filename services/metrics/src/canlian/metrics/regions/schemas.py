"""Response bodies of a region's figures (field descriptions in Chinese and English)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from canlian.metrics.catalogue.schemas import IndicatorKind, IndicatorRead, IndicatorUnit
from canlian.metrics.hierarchy import Level
from canlian.metrics.plans.schemas import Comparator


class Milestone(StrEnum):
    MIDTERM = "midterm"  # 中期评估
    FINAL = "final"  # 终期评估


class Status(StrEnum):
    MET = "met"  # 已达标
    BEHIND = "behind"  # 未达标
    NO_TARGET = "no_target"  # 未设目标
    NO_DATA = "no_data"  # 无数据


class CounterValueRead(BaseModel):
    counter: str = Field(description="计数项 / counter")
    value: int = Field(description="数值 / value")


class RegionRead(BaseModel):
    code: str = Field(description="12 位统计用区划代码 / 12-digit division code")
    name: str | None = Field(description="区划名称 / name (null when divisions are not loaded)")
    level: int = Field(description="层级:0 全国 1 省 2 市 3 县 4 乡镇 5 村 / level")
    parent_code: str | None = Field(description="上级区划代码 / parent division")


class TargetRead(BaseModel):
    comparator: Comparator = Field(description="比较方式 / comparator")
    value: float = Field(description="目标值 / target value")
    milestone: Milestone = Field(description="评估节点 / milestone")
    set_on: str = Field(
        description="目标设定在哪个区划(下级未单独设定时继承)/ region the target was set on"
    )
    applies_to: Level | None = Field(
        description="只适用于该层级(空为本级及以下全部)/ only regions of this level"
    )
    share: float | None = Field(
        default=None,
        description="分解份额:本区划分得设定区划目标的比例(按村、社区数);空为未分解 / the "
        "part of the target set above that falls to this region, when apportioned",
    )


class Completeness(BaseModel):
    """Which counties a computed reported value holds: the rest reported a value alone
    (no numerator and denominator) or nothing."""

    counties_in: int = Field(description="计入的县数(填了分子分母或数量)/ counties in the value")
    counties: int = Field(description="所辖县数 / counties below the region")
    counties_value_only: int = Field(
        description="只填了数值、未填分子分母的县数 / counties that reported a value alone"
    )
    complete: bool = Field(description="是否全部县都已计入 / whether every county is in it")


class IndicatorValue(BaseModel):
    indicator: str = Field(description="指标代码 / indicator code")
    name_zh: str = Field(description="指标名称 / Chinese name")
    name_en: str = Field(description="英文名称 / English name")
    kind: IndicatorKind = Field(description="derived 系统汇总 / reported 部门填报")
    unit: IndicatorUnit = Field(description="单位 / unit")
    value: float | None = Field(description="指标值 / value (null: no data)")
    numerator: int | None = Field(description="分子 / numerator")
    denominator: int | None = Field(description="分母 / denominator")
    period: int | None = Field(description="填报年度 / year of a reported value")
    target: TargetRead | None = Field(description="适用目标 / applicable target")
    status: Status = Field(description="达标状态 / status")
    gap: float | None = Field(description="差距:距目标还差多少,达标为 0 / shortfall, 0 when met")
    completeness: Completeness | None = Field(
        default=None,
        description="县以上填报指标由所辖各县汇总计算:计入了多少县;不完整时 complete 为 false / "
        "a reported value above the county is computed from its counties: how many are in it",
    )


class RegionIndicators(BaseModel):
    region: RegionRead = Field(description="区划 / region")
    plan: str | None = Field(description="规划代码 / plan")
    as_of: date | None = Field(description="截至日期,空为实时 / as-of date, null = live")
    indicators: list[IndicatorValue] = Field(description="各项指标 / every indicator")
    level_names: dict[str, str] = Field(
        default_factory=dict,
        description="该区划及下级各层级的称谓(牧区为旗级、苏木乡镇级、嘎查村级)/ the region's "
        "words for its own level and the levels below (county, township, village)",
        json_schema_extra={"examples": [{"county": "旗级", "township": "苏木乡镇级"}]},
    )


class ChildValue(BaseModel):
    region: RegionRead = Field(description="区划 / region")
    value: IndicatorValue = Field(description="数值 / value")


class DrillDown(BaseModel):
    region: RegionRead = Field(description="区划 / region")
    indicator: IndicatorRead = Field(description="指标 / indicator")
    plan: str | None = Field(description="规划代码 / plan")
    as_of: date | None = Field(description="截至日期,空为实时 / as-of date, null = live")
    children: list[ChildValue] = Field(
        description="下级区划,按差距从大到小排序 / children, largest gap first"
    )
    next_cursor: str | None = Field(description="下一页游标 / cursor of the next page")


class TrendPoint(BaseModel):
    year: int = Field(description="年度 / year")
    as_of: date = Field(description="取值截至日期 / value as of")
    value: float | None = Field(description="指标值 / value")
    target: float | None = Field(description="该年适用目标 / target in force")


class DailyPoint(BaseModel):
    day: date = Field(description="日期(北京时间)/ day, China time")
    value: float | None = Field(description="当日终了时的指标值 / value at the end of the day")
    numerator: int | None = Field(description="分子 / numerator")
    denominator: int | None = Field(description="分母 / denominator")


class Trend(BaseModel):
    region: RegionRead = Field(description="区划 / region")
    indicator: IndicatorRead = Field(description="指标 / indicator")
    plan: str = Field(description="规划代码 / plan")
    points: list[TrendPoint] = Field(description="逐年数据 / one point per plan year")
