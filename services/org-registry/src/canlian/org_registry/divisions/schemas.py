"""Response bodies of the division reads (Chinese + English descriptions)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field

from canlian.common import division_words
from canlian.common.events.org_registry import DivisionChangeKind
from canlian.common.ids import WireId


class DivisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="12位统计用区划代码 / 12-digit statistical division code")
    name: str = Field(description="名称 / name")
    level: int = Field(description="层级 1省 2市 3县 4乡 5村 / level: 1 province … 5 village")
    parent_code: str | None = Field(description="上级区划代码 / parent division code")
    valid_from: date | None = Field(
        description="本版本生效日期,空表示登记之前已存在 / in force from (empty: before records)"
    )
    valid_to: date | None = Field(
        description="本版本失效日期,空表示现行 / version ended on (empty: current)"
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="本区划对其层级的称谓,取自名称(旗、苏木、嘎查;无则 县级/乡级/村级)/ the "
        "division's own word for its level, from its name (banner 旗, sumu 苏木, gacha 嘎查)"
    )
    @property
    def level_word(self) -> str:
        return division_words.level_word(self.name, self.level)


class DivisionDetail(DivisionRead):
    child_count: int = Field(description="下级区划数 / number of child divisions")


class DivisionChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: WireId
    change: DivisionChangeKind = Field(description="变更类型 / kind of change")
    code: str = Field(description="被变更的区划 / the division changed")
    successor_code: str | None = Field(description="承继区划 / successor division")
    effective_on: date = Field(description="生效日期 / effective date")
    old_name: str | None
    new_name: str | None
    note: str | None
    recorded_at: datetime
    recorded_by: str


class DivisionHistory(BaseModel):
    code: str
    versions: list[DivisionRead] = Field(description="各版本 / versions, oldest first")
    changes: list[DivisionChangeRead] = Field(description="变更记录 / recorded changes")


class DivisionLoadResult(BaseModel):
    read: int
    inserted: int
    renamed: int
    unchanged: int
    skipped: int
