"""Events of the metrics service (topic `canlian.metrics`): a region's figures for a period
submitted upward, returned or accepted by the level above, revised after acceptance; a
plan's mid-term or final evaluation of a region drafted and approved by the level above.

State-carrying: each event holds the submission after the change (plan, region, year,
version, status, who acted and why) and its `version` (the submission's version number: a
resubmission or revision is a new submission with the next number). The figures themselves
stay in the metrics service (`GET /v1/submissions/{id}`); no event carries personal data.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from canlian.common.events.base import DomainEvent, EventModel

TOPIC = "canlian.metrics"


class SubmissionStatus(StrEnum):
    WAITING = "waiting"  # 待审核
    RETURNED = "returned"  # 已退回
    ACCEPTED = "accepted"  # 已通过(锁定)


class _SubmissionEvent(DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "submission_id"

    submission_id: str = Field(description="上报记录编号 / submission id")
    plan_code: str = Field(description="规划 / plan")
    division_code: str = Field(description="上报区划 / region that submits")
    year: int = Field(description="统计年度 / period (year)")
    version: int = Field(ge=1, description="第几版 / version of the region's figures")
    status: SubmissionStatus
    submitted_by: str = Field(description="上报人账号 / subject who submitted")
    submitted_at: datetime
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    reason: str | None = Field(
        default=None, description="退回理由或修订理由 / reason for a return or a revision"
    )


class FiguresSubmitted(_SubmissionEvent):
    """A region submitted a period's figures (a first submission or one after a return)."""

    event_type: ClassVar[str] = "cn.canlian.metrics.figures.submitted"


class FiguresRevised(_SubmissionEvent):
    """A region submitted a new version of figures already accepted, with a reason."""

    event_type: ClassVar[str] = "cn.canlian.metrics.figures.revised"


class SubmissionReturned(_SubmissionEvent):
    """The level above returned a submission with reasons."""

    event_type: ClassVar[str] = "cn.canlian.metrics.submission.returned"


class SubmissionAccepted(_SubmissionEvent):
    """The level above accepted a submission: the period's figures are locked."""

    event_type: ClassVar[str] = "cn.canlian.metrics.submission.accepted"


class EvaluationKind(StrEnum):
    MIDTERM = "midterm"  # 中期评估
    FINAL = "final"  # 终期评估


class EvaluationStatus(StrEnum):
    DRAFT = "draft"  # 草稿(本级起草)
    APPROVED = "approved"  # 已审定(上级审定,不可更改)


class _EvaluationEvent(DomainEvent):
    """A plan's mid-term or final evaluation of a region, built from the region's accepted
    figures of that year; the conclusion and each indicator's status stay in the metrics
    service (`GET /v1/evaluations/{id}`)."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "evaluation_id"

    evaluation_id: str = Field(description="评估编号 / evaluation id")
    plan_code: str = Field(description="规划 / plan")
    division_code: str = Field(description="被评估区划 / region evaluated")
    kind: EvaluationKind = Field(description="中期或终期 / mid-term or final")
    year: int = Field(description="评估年度 / year evaluated")
    version: int = Field(ge=1, description="第几稿 / draft number")
    status: EvaluationStatus
    submission_id: str = Field(description="所依据的锁定上报 / the accepted submission used")
    met: int = Field(ge=0, description="达标指标数 / indicators met")
    not_met: int = Field(ge=0, description="未达标指标数 / indicators not met")
    drafted_by: str = Field(description="起草人账号 / subject who drafted")
    drafted_at: datetime
    approved_by: str | None = None
    approved_at: datetime | None = None


class EvaluationDrafted(_EvaluationEvent):
    """A region drafted (or redrafted) its evaluation for the level above to approve."""

    event_type: ClassVar[str] = "cn.canlian.metrics.evaluation.drafted"


class EvaluationApproved(_EvaluationEvent):
    """The level above approved an evaluation: it is on record and no longer changes."""

    event_type: ClassVar[str] = "cn.canlian.metrics.evaluation.approved"


class TownshipGrade(StrEnum):
    """A township's year-end grade on its county's 100-point sheet (003: 百分制目标考核,
    评定等次)."""

    EXCELLENT = "excellent"  # 优秀
    GOOD = "good"  # 良好
    SATISFACTORY = "satisfactory"  # 合格
    FAIL = "fail"  # 不合格


class TownshipScoreSheetSet(DomainEvent):
    """A county set its townships' 100-point target sheet for a year."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "sheet_id"
    event_type: ClassVar[str] = "cn.canlian.metrics.township-score-sheet.set"

    sheet_id: str
    version: int = Field(ge=1)
    county_code: str
    year: int
    items: list[str] = Field(description="item codes, in order")
    indicator_items: int = Field(ge=0, description="items scored from an indicator's value")


class TownshipResult(EventModel):
    township_code: str
    total: Decimal
    grade: TownshipGrade
    rank: int = Field(ge=1)


class TownshipsScored(DomainEvent):
    """The county's year-end scoring of its townships: each one's total, grade and rank."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "sheet_id"
    event_type: ClassVar[str] = "cn.canlian.metrics.townships.scored"

    sheet_id: str
    version: int = Field(ge=1)
    county_code: str
    year: int
    results: list[TownshipResult]
    average: Decimal | None = Field(description="average total, null without townships")
