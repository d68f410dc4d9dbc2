"""Response bodies of the talent pool."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TalentPoolSummary(BaseModel):
    region: str = Field(description="区划 / region")
    in_talent_pool: int = Field(description="优秀残疾人人才库人数 / talent pool size")
    reserve_cadres: int = Field(description="后备干部人数 / reserve cadres")
    target: int | None = Field(description="目标(市级80,县级30)/ target, city 80 county 30")
    target_met: bool | None = Field(description="是否达标 / target met")
