"""Response bodies of reconciliation."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
