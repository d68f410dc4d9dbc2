"""Request and response bodies of policy values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from canlian.common.values import FiniteDecimal, SaneDate


class PolicyValueInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: SaneDate = Field(description="生效日期 / in force from")
    value: FiniteDecimal = Field(description="取值(天)/ the value (days)")


class EffectiveValue(BaseModel):
    parameter: str
    title_zh: str
    title_en: str
    unit: str
    division_code: str
    on: date
    value: Decimal
    set_by_region: str | None = Field(description="设定该值的区划;空为种子默认 / null: seed")
    seed: str
