"""`GET /v1/import-jobs/{id}` and `GET /v1/import-jobs`: the caller's region's jobs, to poll."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from sqlalchemy import Table

from canlian.common import auth
from canlian.common.concurrency import etag, matches
from canlian.common.dependencies import Session, runtime_of
from canlian.common.import_jobs import repository
from canlian.common.import_jobs.problems import ImportJobNotFound
from canlian.common.import_jobs.schemas import JOBS_PATH, ImportJobRead, JobStatus, job_read
from canlian.common.pagination import Page, Paging
from canlian.common.problems import language_of

router = APIRouter(prefix=JOBS_PATH, tags=["导入 / import"])

# The import routes' role: whoever may import may follow the import.
Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]

JobId = Annotated[
    str,
    Path(
        min_length=36,
        max_length=36,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="任务编号 / job id",
    ),
]


def _table(request: Request, job_id: str = "-") -> Table:
    table = runtime_of(request).import_jobs_table
    if table is None:
        raise ImportJobNotFound(job_id=job_id)
    return table


@router.get(
    "/{job_id}",
    response_model=ImportJobRead,
    summary="查询导入任务的进度和报告 / an import job: progress, then its report",
    responses={
        200: {"headers": {"ETag": {"description": "版本 / version", "schema": {"type": "string"}}}},
        304: {"description": "未变化(If-None-Match)/ unchanged since the ETag you sent"},
    },
)
async def get_import_job(
    job_id: JobId,
    request: Request,
    response: Response,
    session: Session,
    principal: Official,
    if_none_match: Annotated[
        str | None,
        Header(
            alias="If-None-Match",
            max_length=200,
            description="上次得到的 ETag:未变化时返回 304 / the ETag you have: 304 while unchanged",
        ),
    ] = None,
) -> ImportJobRead | Response:
    table = _table(request, job_id)
    row = await repository.job_in_scope(session, table, job_id, principal.region_prefix)
    if row is None:
        raise ImportJobNotFound(job_id=job_id)
    if if_none_match is not None and matches(if_none_match, row.version):
        return Response(status_code=304, headers={"ETag": etag(row.version)})
    response.headers["ETag"] = etag(row.version)
    return job_read(row, language_of(request))


@router.get(
    "",
    response_model=Page[ImportJobRead],
    summary="本辖区的导入任务(按创建时间)/ the import jobs of your region, oldest first",
)
async def list_import_jobs(
    request: Request,
    session: Session,
    principal: Official,
    paging: Paging,
    status: Annotated[
        JobStatus | None, Query(description="只看此状态 / only jobs in this status")
    ] = None,
) -> Page[ImportJobRead]:
    table = _table(request)
    rows, cursor = await repository.jobs_in_scope(
        session, table, principal.region_prefix, paging, status
    )
    language = language_of(request)
    return Page(items=[job_read(row, language) for row in rows], next_cursor=cursor)
