"""Service records, offline batches and reviews as the API takes and shows them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.volunteers import Skill
from canlian.common.values import Multiline
from canlian.volunteers.bodies import ID_PATTERN, InputBody, OutputBody

MAX_BATCH = 200


class RecordStatus(StrEnum):
    PENDING = "pending"  # 待确认
    CONFIRMED = "confirmed"  # 已确认
    REJECTED = "rejected"  # 已退回


class RecordSubmission(InputBody):
    client_id: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="客户端生成的记录编号(重试时不变)/ client-generated id, stable across retries",
    )
    need_id: str | None = Field(
        default=None, max_length=64, description="所服务的需求 / the need served"
    )
    service_kind: Skill | None = Field(
        default=None, description="服务类别;有需求时默认取需求类别 / defaults to the need's kind"
    )
    division_code: KnownDivisionCode | None = Field(
        default=None, description="服务地区划;默认取需求或志愿者所在地 / where it was given"
    )
    checked_in_at: AwareDatetime = Field(description="签到时间 / check-in")
    checked_out_at: AwareDatetime = Field(description="签退时间 / check-out")
    person_times: int = Field(ge=0, le=1000, description="服务残疾人人次 / persons helped")
    note: Annotated[str, Multiline(500, required=False)] | None = None


class RecordBatch(InputBody):
    records: list[RecordSubmission] = Field(min_length=1, max_length=MAX_BATCH)


class BatchOutcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class RejectionReason(OutputBody):
    code: str
    message: str


class BatchItemResult(OutputBody):
    client_id: str
    outcome: BatchOutcome
    record_id: str | None = None
    status: RecordStatus | None = None
    reason: RejectionReason | None = None


class BatchResult(OutputBody):
    accepted: int
    duplicates: int
    rejected: int
    results: list[BatchItemResult]


class RecordRead(OutputBody):
    id: str
    client_id: str
    volunteer_id: str
    need_id: str | None
    team_id: str | None
    division_code: str
    service_kind: Skill
    checked_in_at: datetime
    checked_out_at: datetime
    served_on: date
    hours: float
    person_times: int
    status: RecordStatus
    rejection_reason: str | None
    version: int


class RecordRejection(InputBody):
    reason: Annotated[str, Multiline(500, min_length=2)] = Field(description="退回原因 / why")


class Decision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


class ReviewDecision(InputBody):
    record_id: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    decision: Decision = Field(description="confirm 确认 / reject 退回")
    reason: Annotated[str, Multiline(500, min_length=2)] | None = Field(
        default=None,
        description="退回原因(退回时必填)/ why, required to reject",
    )


class ReviewBatch(InputBody):
    decisions: list[ReviewDecision] = Field(min_length=1, max_length=100)


class ReviewResult(OutputBody):
    record_id: str
    status: RecordStatus | None = Field(description="审核后的状态;失败时为空 / null on failure")
    reason: RejectionReason | None = Field(
        default=None, description="未能审核的原因 / why it could not be reviewed"
    )


class ReviewBatchResult(OutputBody):
    confirmed: int
    rejected: int
    failed: int
    results: list[ReviewResult]
