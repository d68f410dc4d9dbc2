"""Request and response bodies of township target scoring."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from canlian.common.divisions import DivisionCode
from canlian.common.events.metrics import TownshipGrade
from canlian.common.ids import WireId
from canlian.common.values import HumanText, fixed_places
from canlian.metrics.request_body import RequestBody

SheetId = Annotated[int, Path(ge=1, le=2**62, description="考核表编号 / sheet id")]
ItemCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


class ItemKind(StrEnum):
    INDICATOR = "indicator"  # 按指标值计分
    QUALITATIVE = "qualitative"  # 考核人评分


class Comparator(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class SheetItemBody(RequestBody):
    code: ItemCode
    title: Annotated[HumanText, Field(max_length=200)]
    points: int = Field(ge=1, le=100, description="分值 / points")
    kind: ItemKind
    indicator: str | None = Field(
        default=None, max_length=80, description="指标代码(按指标计分)/ indicator code"
    )
    comparator: Comparator | None = Field(default=None, description="不低于 / 不高于目标")
    target: float | None = Field(default=None, ge=0, le=1e12, description="目标值 / target")


class SheetCreate(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "county": "620102000000",
                    "year": 2025,
                    "title": "城关区2025年乡镇(街道)残联工作目标考核",
                    "items": [
                        {
                            "code": "coverage",
                            "title": "村(社区)残协覆盖率",
                            "points": 60,
                            "kind": "indicator",
                            "indicator": "grassroots-organisation-coverage",
                            "comparator": "at_least",
                            "target": 100,
                        },
                        {
                            "code": "home_visits",
                            "title": "入户访视工作",
                            "points": 40,
                            "kind": "qualitative",
                        },
                    ],
                }
            ]
        }
    )

    county: DivisionCode = Field(description="县级区划 / the county")
    year: int = Field(ge=2000, le=2100, description="考核年度 / year")
    title: Annotated[HumanText, Field(max_length=200)]
    items: list[SheetItemBody] = Field(min_length=1, max_length=60)


class ItemScoreBody(RequestBody):
    item: ItemCode
    score: Annotated[Decimal, fixed_places(1)] = Field(
        max_digits=5, decimal_places=1, description="得分 / score"
    )


class QualitativeScores(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"scores": [{"item": "home_visits", "score": 35}]}]}
    )

    scores: list[ItemScoreBody] = Field(min_length=1, max_length=60)


class SheetItemRead(BaseModel):
    code: str
    title: str
    points: int
    kind: ItemKind
    indicator: str | None
    comparator: Comparator | None
    target: float | None


class SheetRead(BaseModel):
    id: WireId
    version: int
    county: str
    year: int
    title: str
    status: str = Field(description="open 考核中 / scored 已年终评分")
    items: list[SheetItemRead]
    created_at: datetime
    scored_at: datetime | None


class ItemScoreRead(BaseModel):
    item: str
    score: Decimal
    value: float | None = Field(description="指标值(按指标计分)/ the indicator's value")


class TownshipResultRead(BaseModel):
    township: str
    name: str | None
    total: Decimal
    grade: TownshipGrade = Field(
        description="优秀 excellent / 良好 good / 合格 satisfactory / 不合格 fail"
    )
    rank: int
    items: list[ItemScoreRead]
