"""HTTP route of the legacy register import (multipart upload)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from canlian.cards.dependencies import OfficialWrite
from canlian.cards.legacy_import import jobs, service
from canlian.common.dependencies import runtime_of
from canlian.common.import_jobs.accepting import (
    ACCEPTED_RESPONSES,
    PreferHeader,
    accept_in_background,
)
from canlian.common.tabular_import import ImportReport, read_upload, upload_openapi

router = APIRouter(prefix="/v1")

_UPLOAD_BODY = upload_openapi("台账文件 .xlsx 或 .csv / register file")


@router.post(
    "/imports/cards",
    response_model=ImportReport,
    status_code=201,
    tags=["import"],
    summary="导入旧残疾人证台账(Excel/CSV)/ Import a legacy card register",
    description="默认全部成功才写入(有错时返回 422 和逐行报告);dry_run 只校验;"
    "all_or_nothing=false 只导入有效行。 / All-or-nothing by default (422 with the report by "
    "row when any row is bad); dry_run only validates; all_or_nothing=false writes the good "
    "rows only.\n\n`Prefer: respond-async`(或行数超过 CANLIAN_IMPORT_BACKGROUND_ROWS)时在后台"
    "导入:202 和任务地址,报告在任务完成后给出。 / With `Prefer: respond-async` (or more rows "
    "than CANLIAN_IMPORT_BACKGROUND_ROWS) the import runs in the background: 202 with the "
    "job's Location, whose report comes when it has finished.",
    openapi_extra=_UPLOAD_BODY,
    responses=ACCEPTED_RESPONSES,
)
async def import_cards(
    request: Request,
    write: OfficialWrite,
    dry_run: Annotated[bool, Query(description="只校验不写入 / validate only")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="有错误则全部不导入 / write nothing if any row is bad")
    ] = True,
    prefer: PreferHeader = None,
) -> object:
    ctx, idempotent = write
    content, filename = await read_upload(request)
    accepted = await accept_in_background(
        request,
        ctx.session,
        runtime_of(request),
        ctx.principal,
        idempotent,
        kind=jobs.CARDS_IMPORT.name,
        content=content,
        filename=filename,
        options={"dry_run": dry_run, "all_or_nothing": all_or_nothing},
        prefer=prefer,
    )
    if accepted is not None:
        return accepted
    report = await service.run_import(
        ctx, content, filename, dry_run=dry_run, all_or_nothing=all_or_nothing
    )
    return await idempotent.respond(report, status_code=200 if dry_run else 201)
