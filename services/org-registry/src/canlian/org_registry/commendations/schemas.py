"""Request and response bodies of commendations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.org_registry import (
    CommendationProgramme,
    NominationStatus,
    NomineeKind,
)
from canlian.common.values import HumanText, Multiline
from canlian.org_registry.api import Name, Strict

RoundId = Annotated[str, Path(max_length=36, description="评选编号 / round id")]
NominationId = Annotated[str, Path(max_length=36, description="推荐编号 / nomination id")]
PersonId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
]


class PersonService(StrEnum):
    """The service that owns the person's record (no citizen id is held here)."""

    MEMBERS = "members"  # cadres, committee members, liaison officers
    VOLUNTEERS = "volunteers"
    CARDS = "cards"  # card holders


class RoundCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "programme": "self_reliance",
                    "division_code": "640104000000",
                    "year": 2026,
                    "title": "兴庆区第三届自强模范评选",
                }
            ]
        }
    )

    programme: CommendationProgramme = Field(description="评选系列 / programme")
    division_code: KnownDivisionCode = Field(description="组织评选的地区 / region holding it")
    year: int = Field(ge=1900, le=2200, description="评选年度 / year")
    title: Name = Field(description="评选名称 / title")


class RoundRead(BaseModel):
    id: str
    version: int
    programme: CommendationProgramme
    division_code: str
    year: int
    title: str
    cycle_years: int = Field(description="开评时本地区的评选周期 / the cycle in force when opened")
    opened_at: datetime


class NominationCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nominee_kind": "person",
                    "person_service": "members",
                    "person_id": "5f0c2a4e-9d1b-4c3e-8a77-2b1f0e6d9c10",
                    "display_name": "张丽",
                    "division_code": "640104100000",
                    "citation": "身残志坚,带领本村残疾人发展种养殖业",
                },
                {
                    "nominee_kind": "organisation",
                    "organisation_id": "0b8e1f5a-3c2d-4e6f-9a1b-7c8d9e0f1a2b",
                    "citation": "常年开展助残志愿服务",
                },
            ]
        }
    )

    nominee_kind: NomineeKind = Field(description="被推荐对象 / a person or an organisation")
    organisation_id: str | None = Field(
        default=None, max_length=36, description="组织编号(推荐组织时)/ the organisation"
    )
    person_service: PersonService | None = Field(
        default=None, description="个人所在的服务(推荐个人时)/ the person's owning service"
    )
    person_id: PersonId | None = Field(
        default=None, description="该服务中的个人编号 / the person's id in that service"
    )
    display_name: Name | None = Field(
        default=None, description="个人姓名(仅供显示)/ the person's name, for display"
    )
    division_code: KnownDivisionCode | None = Field(
        default=None, description="个人所在区划(推荐个人时)/ the person's division"
    )
    citation: Annotated[str, Multiline(2000, min_length=1)] = Field(
        description="推荐事迹 / citation"
    )


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class DecisionBody(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"decision": "approved", "note": "经区残联审核同意"}]}
    )

    decision: Decision = Field(description="审批结果 / approve or reject")
    note: Annotated[HumanText, Field(max_length=1000)] | None = Field(
        default=None, description="审批意见 / note"
    )


class NominationRead(BaseModel):
    id: str
    version: int
    round_id: str
    nominee_kind: NomineeKind
    organisation_id: str | None
    person_service: str | None
    person_id: str | None
    display_name: str
    division_code: str
    citation: str
    nominating_division_code: str
    status: NominationStatus
    decided_by_division_code: str | None
    decided_on: date | None
    decision_note: str | None
    nominated_at: datetime


class HonourRead(BaseModel):
    """An approved nomination: who was commended, in which round."""

    nomination_id: str
    round_id: str
    programme: CommendationProgramme
    year: int
    round_title: str
    round_division_code: str
    nominee_kind: NomineeKind
    organisation_id: str | None
    person_service: str | None
    person_id: str | None
    display_name: str
    division_code: str
    citation: str
    approved_by_division_code: str
    approved_on: date
