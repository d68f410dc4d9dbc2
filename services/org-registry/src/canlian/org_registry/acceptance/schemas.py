"""Request and response bodies of standardisation acceptance."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.org_registry import AcceptanceResult
from canlian.common.values import HumanText, Multiline, SaneDate, fixed_places
from canlian.org_registry.api import Strict

ChecklistId = Annotated[str, Path(max_length=36, description="验收标准编号 / checklist id")]
InspectionId = Annotated[str, Path(max_length=36, description="验收记录编号 / inspection id")]
ItemCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Title = Annotated[HumanText, Field(max_length=200)]
Level = Annotated[int, Field(ge=1, le=5, description="被验收组织的层级 / level inspected")]


class ChecklistItemBody(Strict):
    code: ItemCode = Field(description="项目代码 / item code")
    title: Title = Field(description="项目 / item")
    points: int = Field(ge=1, le=100, description="分值 / points")


class ChecklistCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "division_code": "620102000000",
                    "level": 4,
                    "effective_from": "2025-03-01",
                    "title": "城关区乡镇(街道)残联规范化建设验收标准",
                    "items": [
                        {"code": "organisation", "title": "组织健全", "points": 40},
                        {"code": "staff", "title": "队伍稳定", "points": 30},
                        {"code": "mechanism", "title": "机制完善", "points": 30},
                    ],
                    "pass_mark": 80,
                    "conditional_mark": 70,
                    "validity_years": 3,
                }
            ]
        }
    )

    division_code: KnownDivisionCode = Field(description="制定标准的地区 / region")
    level: Level
    effective_from: SaneDate = Field(description="起用日期 / in force from")
    title: Title = Field(description="标准名称 / title")
    items: list[ChecklistItemBody] = Field(min_length=1, max_length=60)
    pass_mark: int = Field(ge=1, le=1000, description="合格分 / pass mark")
    conditional_mark: int = Field(
        ge=0, le=1000, description="限期整改后合格的最低分 / lowest score of a conditional pass"
    )
    validity_years: int = Field(ge=1, le=10, description="有效期(年)/ validity in years")


class ChecklistItemRead(BaseModel):
    code: str
    title: str
    points: int


class ChecklistRead(BaseModel):
    id: str | None = Field(description="编号(空为种子标准)/ id, null for the seed's")
    division_code: str | None = Field(description="制定地区 / region, null for the seed's")
    level: int
    effective_from: date | None
    title: str
    items: list[ChecklistItemRead]
    total_points: int
    pass_mark: int
    conditional_mark: int
    validity_years: int
    seed: str | None = Field(description="种子出处(仅种子标准)/ the seed text, for the seed's")


class FindingBody(Strict):
    item: ItemCode = Field(description="项目代码 / item code")
    score: Annotated[Decimal, fixed_places(1)] = Field(
        max_digits=5, decimal_places=1, description="得分 / score"
    )
    finding: Annotated[str, Multiline(1000, required=False)] | None = Field(
        default=None, description="发现 / finding"
    )


class InspectionCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "inspected_on": "2025-06-10",
                    "findings": [
                        {"item": "organisation", "score": 38, "finding": "组织健全"},
                        {"item": "staff", "score": 26, "finding": "专职委员一人待补"},
                        {"item": "mechanism", "score": 27},
                    ],
                    "conditions": "三个月内补齐专职委员",
                }
            ]
        }
    )

    inspected_on: SaneDate = Field(description="实地验收日期 / inspected on")
    findings: list[FindingBody] = Field(min_length=1, max_length=60)
    conditions: Annotated[str, Multiline(2000, required=False)] | None = Field(
        default=None, description="整改要求 / conditions to meet"
    )


class FindingRead(BaseModel):
    item: str
    title: str
    points: int
    score: Decimal
    finding: str | None


class InspectionRead(BaseModel):
    id: str
    version: int
    organisation_id: str
    division_code: str
    checklist_id: str | None = Field(description="空为种子标准 / null: the seed's checklist")
    inspector_division_code: str
    inspected_on: date
    findings: list[FindingRead]
    total_score: Decimal
    pass_mark: int
    result: AcceptanceResult = Field(
        description="passed 合格 / passed_with_conditions 限期整改 / failed 不合格"
    )
    valid_until: date | None = Field(description="有效期至(需复验)/ valid until")
    conditions: str | None
    reinspection_of: str | None
    superseded_by: str | None
    recorded_at: datetime
