"""HTTP routes of the roster: import, template, export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from canlian.common import divisions
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.import_jobs.accepting import (
    ACCEPTED_RESPONSES,
    PreferHeader,
    accept_in_background,
)
from canlian.common.tabular_import import ImportReport, read_upload, upload_openapi
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.appointments import repository as appointments_repository
from canlian.members.roster import imports, jobs, template
from canlian.members.roster.exports import roster_workbook

router = APIRouter(prefix="/v1", tags=["导入 / import"])


@router.get(
    "/exports/roster",
    summary="导出在岗人员花名册(Excel,已脱敏)/ export the current roster as Excel, masked",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}
    },
)
async def export_roster(
    session: Session, runtime: Runtime, principal: Official, region: RegionQuery = None
) -> Response:
    scope = region_of(principal, region)
    held = await appointments_repository.held_with_members(session, divisions.prefix(scope))
    return Response(
        roster_workbook(runtime.personal_data, held),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="roster-{scope}.xlsx"'},
    )


@router.get(
    "/imports/roster/template",
    summary="下载花名册模板(CSV)/ download the roster template",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def roster_template(_principal: Official) -> Response:
    return Response(
        template.roster_template(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="roster-template.csv"'},
    )


_UPLOAD_BODY = upload_openapi("花名册 .xlsx 或 .csv / the roster file")


@router.post(
    "/imports/roster",
    response_model=ImportReport,
    status_code=201,
    summary="从 Excel/CSV 导入花名册 / import a roster from Excel or CSV",
    description="默认全部成功才写入(有错时返回 422 和逐行报告);dry_run 只校验;"
    "all_or_nothing=false 只导入有效行。表头可用中文列名(姓名、公民身份号码、组织编号……)。 / "
    "All-or-nothing by default (422 with the report by row when any row is bad); dry_run only "
    "validates; all_or_nothing=false writes the valid rows only. Chinese headers are accepted."
    "\n\n`Prefer: respond-async`(或行数超过 CANLIAN_IMPORT_BACKGROUND_ROWS)时在后台导入:"
    "202 和任务地址,报告在任务完成后给出。 / With `Prefer: respond-async` (or more rows than "
    "CANLIAN_IMPORT_BACKGROUND_ROWS) the import runs in the background: 202 with the job's "
    "Location, whose report comes when it has finished.",
    openapi_extra=_UPLOAD_BODY,
    responses=ACCEPTED_RESPONSES,
)
async def import_roster(
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    dry_run: Annotated[bool, Query(description="只校验不写入 / validate only")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="有错误时全部不导入(默认)/ nothing imported if any row fails")
    ] = True,
    prefer: PreferHeader = None,
) -> JSONResponse:
    content, filename = await read_upload(request)
    accepted = await accept_in_background(
        request,
        session,
        runtime,
        principal,
        idempotent,
        kind=jobs.ROSTER_IMPORT.name,
        content=content,
        filename=filename,
        options={"dry_run": dry_run, "all_or_nothing": all_or_nothing},
        prefer=prefer,
    )
    if accepted is not None:
        return accepted
    report = await imports.import_roster(
        session,
        runtime,
        principal,
        content,
        filename,
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
    )
    return await idempotent.respond(report, status_code=200 if dry_run else 201)
