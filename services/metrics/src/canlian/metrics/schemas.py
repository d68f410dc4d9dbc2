"""Request and response bodies of the metrics API (field descriptions in Chinese and English)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from canlian.common.divisions import DivisionCode

INDICATOR_CODE = r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$"
PLAN_CODE = r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"
COUNTER_EXPRESSION = r"^[a-z0-9_.]{1,100}(\+[a-z0-9_.]{1,100}){0,9}$"


class IndicatorKind(StrEnum):
    DERIVED = "derived"  # 系统汇总:由计数项计算
    REPORTED = "reported"  # 部门填报


class IndicatorUnit(StrEnum):
    PERCENT = "percent"  # 百分比
    COUNT = "count"  # 个数 / 人数
    PERSON_TIMES = "person_times"  # 人次
    HOURS = "hours"  # 小时


class Comparator(StrEnum):
    """目标比较方式:ge ≥,le ≤,eq =。"""

    GE = "ge"
    LE = "le"
    EQ = "eq"


class Milestone(StrEnum):
    MIDTERM = "midterm"  # 中期评估
    FINAL = "final"  # 终期评估


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


class Status(StrEnum):
    MET = "met"  # 已达标
    BEHIND = "behind"  # 未达标
    NO_TARGET = "no_target"  # 未设目标
    NO_DATA = "no_data"  # 无数据


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- catalogue ----------------------------------------------------------------------------


class IndicatorRead(BaseModel):
    code: str = Field(description="指标代码 / indicator code")
    name_zh: str = Field(description="指标名称 / Chinese name")
    name_en: str = Field(description="英文名称 / English name")
    kind: IndicatorKind = Field(description="derived 系统汇总 / reported 部门填报")
    unit: IndicatorUnit = Field(description="单位 / unit")
    numerator: list[str] = Field(description="分子计数项(求和)/ numerator counters, summed")
    denominator: list[str] = Field(description="分母计数项(求和)/ denominator counters, summed")
    factor: float = Field(description="系数,百分比为 100 / factor, 100 for percentages")
    description: str = Field(description="说明 / description")
    source: str = Field(description="依据(种子文件)/ source document")
    built_in: bool = Field(description="是否系统内置 / shipped with the system")


class IndicatorCreate(_Body):
    code: str = Field(pattern=INDICATOR_CODE, description="指标代码 / indicator code")
    name_zh: str = Field(min_length=1, max_length=200, description="指标名称 / Chinese name")
    name_en: str = Field(min_length=1, max_length=200, description="英文名称 / English name")
    kind: IndicatorKind = Field(description="derived 系统汇总 / reported 部门填报")
    unit: IndicatorUnit = Field(description="单位 / unit")
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
    factor: float = Field(default=1.0, gt=0, le=1_000_000, description="系数 / factor")
    description: str = Field(default="", max_length=2000, description="说明 / description")

    @model_validator(mode="after")
    def _derived_needs_numerator(self) -> IndicatorCreate:
        if self.kind is IndicatorKind.DERIVED and not self.numerator:
            raise ValueError("a derived indicator needs a numerator / 系统汇总指标需要分子")
        if self.kind is IndicatorKind.REPORTED and (self.numerator or self.denominator):
            raise ValueError("a reported indicator has no counters / 填报指标不设计数项")
        return self


class CounterRead(BaseModel):
    counter: str = Field(description="计数项 / counter")
    description: str = Field(description="说明 / description")


class CounterValueRead(BaseModel):
    counter: str = Field(description="计数项 / counter")
    value: int = Field(description="数值 / value")


# --- regions and indicator values -------------------------------------------------------


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


class RegionIndicators(BaseModel):
    region: RegionRead = Field(description="区划 / region")
    plan: str | None = Field(description="规划代码 / plan")
    as_of: date | None = Field(description="截至日期,空为实时 / as-of date, null = live")
    indicators: list[IndicatorValue] = Field(description="各项指标 / every indicator")


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


# --- plans, targets, reported values ------------------------------------------------------


class PlanCreate(_Body):
    code: str = Field(pattern=PLAN_CODE, description="规划代码,如 gs-12th / plan code")
    name: str = Field(min_length=1, max_length=100, description="名称,如 十二五 / name")
    region: DivisionCode = Field(description="规划所属区划 / region the plan is issued for")
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


class TargetSet(_Body):
    indicator: str = Field(min_length=1, max_length=60, description="指标代码 / indicator")
    region: DivisionCode = Field(description="设定目标的区划 / region the target is set on")
    comparator: Comparator = Field(description="ge ≥ / le ≤ / eq =")
    final_value: float = Field(description="终期目标值 / final target")
    midterm_value: float | None = Field(default=None, description="中期目标值 / mid-term target")
    applies_to: Level | None = Field(
        default=None,
        description="只适用于其下该层级的区划,如省内每个县 ≥30;空为本级及以下全部 / only the "
        "regions of this level within the region (e.g. each county >= 30)",
    )


class TargetsSet(_Body):
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
    updated_at: datetime = Field(description="修改时间 / changed at")
    updated_by: str = Field(description="修改人 / changed by")


class TargetChange(BaseModel):
    indicator: str = Field(description="指标 / indicator")
    region: str = Field(description="区划 / region")
    change: str = Field(description="原目标 -> 新目标 / before -> after")
    changed_by: str = Field(description="修改人 / who")
    changed_at: datetime = Field(description="修改时间 / when")


class ReportedValueSubmit(_Body):
    indicator: str = Field(min_length=1, max_length=60, description="指标代码 / indicator")
    region: DivisionCode = Field(description="区划 / region")
    year: int = Field(ge=2000, le=2100, description="年度 / year")
    value: float = Field(description="数值 / value")


class ReportedValuesSubmit(_Body):
    values: list[ReportedValueSubmit] = Field(min_length=1, max_length=5000)


class ReportedValueRead(BaseModel):
    indicator: str = Field(description="指标 / indicator")
    region: str = Field(description="区划 / region")
    year: int = Field(description="年度 / year")
    value: float = Field(description="数值 / value")
    submitted_by: str = Field(description="填报人 / submitted by")
    submitted_at: datetime = Field(description="填报时间 / submitted at")


class ReportedValuesAccepted(BaseModel):
    accepted: int = Field(description="已保存条数 / rows stored")


# --- operations ---------------------------------------------------------------------------


class ParkedEventRead(BaseModel):
    event_id: str = Field(description="事件编号 / event id")
    event_type: str = Field(description="事件类型 / event type")
    dataschema: str = Field(description="事件模式及版本 / schema and version")
    reason: str = Field(description="暂存原因 / why it was parked")
    parked_at: datetime = Field(description="暂存时间 / parked at")


class ParkedReplay(BaseModel):
    tried: int = Field(description="重试的事件数 / events tried")
    applied: int = Field(description="已汇总并移出暂存 / rolled up and released")
    still_parked: int = Field(description="仍无法处理 / still parked")
    stale: int = Field(description="其中版本已过时 / of the applied, older than the rollups")


class Difference(BaseModel):
    region: str = Field(description="区划 / region")
    counter: str = Field(description="计数项 / counter")
    expected: int = Field(description="按实体贡献重算的值 / recomputed from contributions")
    stored: int = Field(description="汇总表中的值 / value in the rollup")


class ReconcileReport(BaseModel):
    entities: int = Field(description="参与核对的实体数 / entities checked")
    counters: int = Field(description="核对的计数值个数 / counter values checked")
    differences: list[Difference] = Field(description="每一处差异 / every difference")


class EntityDifference(BaseModel):
    entity: str = Field(description="实体 / entity")
    problem: str = Field(
        description="missing 汇总中缺失 / extra 源数据中已无 / stale 版本落后 / differs 贡献不同"
    )
    source_version: int | None = Field(description="源服务中的版本 / version in the source service")
    rollup_version: int | None = Field(description="汇总中的版本 / version in the rollups")
