"""Request body of a recorded division change (Chinese + English descriptions)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import DivisionChangeKind
from canlian.common.values import HumanText, Multiline, SaneDate
from canlian.org_registry.api import Name, Strict


class NewDivision(Strict):
    code: DivisionCode = Field(description="新区划代码 / code of the new division")
    name: Name = Field(description="新区划名称 / its name")


class DivisionChangeCreate(Strict):
    change: DivisionChangeKind = Field(
        description="established新设 renamed更名 merged撤并 split拆分 / kind of change"
    )
    code: DivisionCode = Field(description="被变更(或新设)的区划代码 / the division")
    effective_on: SaneDate = Field(description="生效日期 / effective date")
    name: HumanText | None = Field(
        default=None,
        max_length=100,
        description="更名后或新设区划的名称 / new name (renamed, established)",
    )
    successor_code: DivisionCode | None = Field(
        default=None, description="撤并后并入的区划 / the division it merges into (merged)"
    )
    successors: list[NewDivision] = Field(
        default_factory=list, max_length=20, description="拆分出的新区划 / new divisions (split)"
    )
    note: Annotated[str, Multiline(1000, required=False)] | None = Field(
        default=None, description="依据文件等 / note"
    )
