"""Bodies and answers of the policy routes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from canlian.common.policy import Source
from canlian.common.values import FiniteDecimal, human_text


class PolicyRead(BaseModel):
    name: str = Field(description="参数名 / parameter name")
    title_zh: str = Field(description="中文名称 / Chinese title")
    title_en: str = Field(description="English title")
    unit: str = Field(description="单位 / unit (seats, yuan)")
    minimum: Decimal = Field(description="合理范围下限 / lowest sensible value")
    maximum: Decimal = Field(description="合理范围上限 / highest sensible value")
    whole_number: bool = Field(description="只取整数 / whole numbers only")
    seed_default: Decimal = Field(description="种子文件默认值 / the seeds' default")
    seed: str = Field(description="默认值出处(种子文件原文)/ the seed text the default comes from")
    owner: str = Field(description="保存并提供该参数的服务 / the service that owns it")


class PolicyValueBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: FiniteDecimal = Field(description="参数值 / the value")
    reason: human_text(500) = Field(  # type: ignore[valid-type]
        description="依据(文号或说明,会被审计)/ basis: the policy document or why (audited)"
    )


class PolicyValueRead(BaseModel):
    parameter: str = Field(description="参数名 / parameter")
    division_code: str = Field(description="设置该值的地区 / region that set it")
    effective_from: date = Field(description="生效日期 / in force from")
    value: Decimal = Field(description="参数值 / value")
    set_by: str = Field(description="设置人 / set by")
    reason: str = Field(description="依据 / basis")
    version: int = Field(description="该地区此参数的版本 / version of the region's values")
    created_at: datetime = Field(description="设置时间 / set at")


class PolicyInForce(BaseModel):
    parameter: str = Field(description="参数名 / parameter")
    division_code: str = Field(description="所问地区 / region asked about")
    on: date = Field(description="业务日期 / business date")
    value: Decimal = Field(description="当日适用的值 / value in force")
    unit: str = Field(description="单位 / unit")
    source: Source = Field(
        description="来源:本地区设置、上级设置或种子默认 / region itself, an ancestor or the seed"
    )
    set_by_division: str | None = Field(description="设置该值的地区 / region whose value applies")
    effective_from: date | None = Field(description="该值生效日期 / in force since")
    seed: str = Field(description="种子默认值出处 / the seed text")
    version: int = Field(description="本地区此参数的版本(ETag)/ the region's version (ETag)")
    history: list[PolicyValueRead] = Field(
        description="本地区设置过的全部值(含已被替代的)/ every value the region set, kept"
    )


class PolicyValueSaved(PolicyValueRead):
    reevaluated: int = Field(description="重新核对的对象数 / objects the change re-checked")
    changed: int = Field(description="结果变化的对象数 / objects whose outcome changed")


class ComingIntoForce(BaseModel):
    parameter: str = Field(description="参数名 / parameter")
    division_code: str = Field(description="设置该值的地区 / region that set it")
    reevaluated: int = Field(description="重新核对的对象数 / objects re-checked")
    changed: int = Field(description="结果变化的对象数 / objects whose outcome changed")
