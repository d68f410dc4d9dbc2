"""An import job as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Row

from canlian.common.i18n import Language
from canlian.common.import_jobs.kinds import percent
from canlian.common.import_jobs.problems import problem_document
from canlian.common.import_jobs.table import SUCCEEDED
from canlian.common.tabular_import import ImportReport

JOBS_PATH = "/v1/import-jobs"

JobStatus = Literal["queued", "running", "succeeded", "failed"]


class ImportJobRead(BaseModel):
    id: str = Field(description="任务编号 / job id")
    location: str = Field(description="任务地址,用于轮询 / the job's URL path, to poll")
    kind: str = Field(description="导入类别 / what is imported (roster, cards, ...)")
    status: JobStatus = Field(
        description="queued 排队中 / running 进行中 / succeeded 已完成 / failed 失败"
    )
    region: str = Field(description="发起人管辖范围 / the scope of the official who started it")
    created_by: str = Field(description="发起人 / who started it")
    dry_run: bool = Field(description="是否试运行 / validation only")
    rows_total: int | None = Field(
        description="数据行数(完成前为估计值)/ data rows (an estimate until finished)"
    )
    rows_done: int = Field(description="已处理行数 / rows processed so far")
    percent: float = Field(ge=0, le=100, description="进度百分比 / progress in percent")
    report: ImportReport | None = Field(
        description="导入报告(成功后;与同步导入的应答相同)/ the report, once succeeded: the "
        "same as the synchronous import answers"
    )
    problem: dict[str, Any] | None = Field(
        description="失败原因(RFC 9457 问题,与同步导入的应答相同)/ why it failed: the problem "
        "the synchronous import would have answered"
    )
    created_at: datetime = Field(description="提交时间 / when it was queued")
    started_at: datetime | None = Field(
        description="开始时间(最近一次运行)/ when its latest run started"
    )
    finished_at: datetime | None = Field(description="结束时间 / when it ended")
    version: int = Field(description="版本(即 ETag)/ version, the ETag")


def job_read(row: Row[Any], language: Language) -> ImportJobRead:
    options = row.options if isinstance(row.options, dict) else {}
    return ImportJobRead(
        id=row.id,
        location=f"{JOBS_PATH}/{row.id}",
        kind=row.kind,
        status=row.status,
        region=row.region,
        created_by=row.principal_subject,
        dry_run=bool(options.get("dry_run", False)),
        rows_total=row.rows_total,
        rows_done=row.rows_done,
        percent=percent(row.rows_done, row.rows_total, row.status == SUCCEEDED),
        report=ImportReport.model_validate(row.report) if row.report is not None else None,
        problem=problem_document(row.error, language) if row.error is not None else None,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        version=row.version,
    )
