"""Response bodies of the organisations read model."""

from __future__ import annotations

from pydantic import BaseModel, Field


class OrganisationRead(BaseModel):
    organisation_id: str = Field(description="组织编号 / organisation id")
    name: str = Field(description="名称 / name")
    kind: str = Field(description="类型 / kind")
    level: int = Field(description="层级 1–5 / division level")
    division_code: str = Field(description="区划 / division")
    status: str = Field(description="状态 / status")
    covered_divisions: list[str] = Field(description="服务的乡镇或村 / places it serves")
    version: int = Field(description="登记版本 / registry version")
