"""Request and response bodies of home visits."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from canlian.common.events.needs import ServiceKind
from canlian.common.values import Multiline, SaneDate, human_text

MAX_BATCH = 200
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NeedFound(_Input):
    category: ServiceKind = Field(description="需求类别 / category")
    description: Annotated[str, human_text(500)] = Field(description="需求描述 / what is needed")


class VisitInput(_Input):
    client_id: Annotated[
        str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    ] = Field(description="客户端生成的编号,重发时不变 / the client's id, the same on resend")
    household_id: Id
    visited_on: SaneDate = Field(description="访视日期 / date of the visit")
    met: Annotated[str, human_text(200)] = Field(description="见到的人 / who was met")
    findings: Annotated[str, Multiline(2000)] = Field(description="访视情况 / findings")
    needs: list[NeedFound] = Field(default_factory=list, max_length=10, description="发现的需求")
    photos: list[Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[\w./:-]+$")]] = (
        Field(default_factory=list, max_length=9, description="照片文件引用 / photo references")
    )


class VisitCreate(VisitInput):
    member_id: Id = Field(description="访视的专职委员(委员服务)/ the committee member")


class VisitBatch(_Input):
    member_id: Id = Field(description="访视的专职委员 / the committee member")
    visits: list[VisitInput] = Field(min_length=1, max_length=MAX_BATCH)


class MyVisitBatch(_Input):
    """A committee member's own offline batch: the member is the token's."""

    visits: list[VisitInput] = Field(min_length=1, max_length=MAX_BATCH)


class VisitRead(BaseModel):
    id: str
    client_id: str
    household_id: str
    member_id: str
    recorded_by: str = Field(
        description="记录人(令牌 sub):本人或代为记录的工作人员 / who recorded it: the member, "
        "or the official recording on the member's behalf"
    )
    division_code: str
    visited_on: date
    met: str
    findings: str
    needs: list[NeedFound]
    photos: list[str]
    due_on: date | None
    on_schedule: bool | None
    need_ids: list[str] = Field(default_factory=list, description="登记的需求 / needs recorded")


class BatchOutcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class RejectionReason(BaseModel):
    code: str
    message: str


class BatchItemResult(BaseModel):
    client_id: str
    outcome: BatchOutcome
    visit_id: str | None = None
    reason: RejectionReason | None = None


class BatchResult(BaseModel):
    accepted: int
    duplicates: int
    rejected: int
    results: list[BatchItemResult]


class ReportLevel(StrEnum):
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


class VisitsDueRow(BaseModel):
    division_code: str
    scheduled: int = Field(description="须定期访视的家庭 / households with a schedule")
    due_soon: int = Field(description="7 天内到期 / due within 7 days")
    overdue: int = Field(description="逾期未访 / overdue")


class VisitsDueReport(BaseModel):
    division_code: str
    level: ReportLevel
    as_of: date
    rows: list[VisitsDueRow]


class MemberVisitsDueRow(BaseModel):
    member_id: str = Field(description="专职委员 / committee member (members service)")
    served_divisions: list[str]
    scheduled: int
    due_soon: int
    overdue: int


class MemberVisitsDueReport(BaseModel):
    division_code: str
    as_of: date
    rows: list[MemberVisitsDueRow]


class MyVisitsDue(BaseModel):
    """A committee member's own area: each place they serve, and the totals (a household of
    a village served by two of the member's posts counts once)."""

    member_id: str
    as_of: date
    served_divisions: list[str]
    scheduled: int
    due_soon: int
    overdue: int
    rows: list[VisitsDueRow]
