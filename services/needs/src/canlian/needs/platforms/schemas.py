"""Request and response bodies of service platforms."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from canlian.common.divisions import DivisionCode
from canlian.common.events.needs import PlatformKind, PlatformService
from canlian.common.values import human_text


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlatformCreate(_Input):
    name: Annotated[str, human_text(100)] = Field(description="名称,如 某镇残疾人之家")
    kind: PlatformKind = Field(description="类型 / kind")
    division_code: DivisionCode = Field(description="所在区划 / where it is")
    services: list[PlatformService] = Field(min_length=1, max_length=6, description="服务项目")
    capacity: int = Field(ge=0, le=10_000, description="服务名额 / places")
    staff: int = Field(default=0, ge=0, le=10_000, description="工作人员数 / staff")
    open: bool = Field(default=True, description="是否运营 / open")


class PlatformChange(_Input):
    name: Annotated[str, human_text(100)] | None = None
    services: list[PlatformService] | None = Field(default=None, min_length=1, max_length=6)
    capacity: int | None = Field(default=None, ge=0, le=10_000)
    staff: int | None = Field(default=None, ge=0, le=10_000)
    open: bool | None = None


class PlatformRead(BaseModel):
    id: str
    name: str
    kind: PlatformKind
    division_code: str
    services: list[PlatformService]
    capacity: int
    occupied: int = Field(description="已转介占用名额 / places taken by referrals")
    free: int = Field(description="空余名额 / free places")
    staff: int
    open: bool
    version: int
