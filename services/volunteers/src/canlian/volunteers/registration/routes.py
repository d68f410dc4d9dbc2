"""Officials' registration of volunteers: by a station, from a roster file, changes,
leaving and rejoining."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, runtime_of
from canlian.common.events.volunteers import RegistrationChannel
from canlian.common.import_jobs.accepting import (
    ACCEPTED_RESPONSES,
    PreferHeader,
    accept_in_background,
)
from canlian.common.locations import created
from canlian.common.tabular_import import ImportReport, read_upload, upload_openapi
from canlian.volunteers.db import new_id
from canlian.volunteers.dependencies import IdPath, Official, RequestContext
from canlian.volunteers.registration import imports, jobs, service
from canlian.volunteers.registration.schemas import Leaving, StationRegistration, VolunteerUpdate
from canlian.volunteers.volunteers.responses import volunteer_read
from canlian.volunteers.volunteers.schemas import VolunteerRead
from canlian.volunteers.volunteers.service import volunteer_in_scope

router = APIRouter(prefix="/v1")


@router.post(
    "/volunteers",
    status_code=201,
    openapi_extra=created("/v1/volunteers/{id}"),
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="服务站代为登记 / registration by a station",
)
async def register_volunteer(
    body: StationRegistration, context: RequestContext, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    volunteer = await service.register(
        context,
        principal,
        body,
        volunteer_id=new_id(),
        channel=RegistrationChannel.STATION,
    )
    return await idempotent.respond(volunteer_read(volunteer), status_code=201)


@router.patch(
    "/volunteers/{volunteer_id}",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="修改志愿者资料 / change a volunteer",
)
async def update_volunteer(
    volunteer_id: IdPath,
    body: VolunteerUpdate,
    context: RequestContext,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> VolunteerRead:
    volunteer = await volunteer_in_scope(
        context, principal, volunteer_id, precondition=precondition
    )
    principal.ensure_covers(volunteer.division_code)
    changed = await service.update_profile(context, principal, volunteer, body)
    response.headers["ETag"] = etag(changed.version)
    return volunteer_read(changed)


@router.post(
    "/volunteers/{volunteer_id}/leave",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="办理退出 / record that a volunteer left",
)
async def leave_volunteer(
    volunteer_id: IdPath,
    body: Leaving,
    context: RequestContext,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> VolunteerRead:
    volunteer = await volunteer_in_scope(
        context, principal, volunteer_id, precondition=precondition
    )
    principal.ensure_covers(volunteer.division_code)
    left = await service.leave(context, volunteer, body.reason)
    response.headers["ETag"] = etag(left.version)
    return volunteer_read(left)


@router.post(
    "/volunteers/{volunteer_id}/rejoin",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="重新加入 / a volunteer rejoins",
)
async def rejoin_volunteer(
    volunteer_id: IdPath,
    context: RequestContext,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> VolunteerRead:
    volunteer = await volunteer_in_scope(
        context, principal, volunteer_id, precondition=precondition
    )
    principal.ensure_covers(volunteer.division_code)
    rejoined = await service.rejoin(context, volunteer)
    response.headers["ETag"] = etag(rejoined.version)
    return volunteer_read(rejoined)


_UPLOAD_BODY = upload_openapi(
    "花名册 .xlsx 或 .csv:姓名、手机号码、"
    "公民身份号码(可空)、区划代码、技能(可空,如“手语、陪伴”)"
    " / roster file"
)


@router.post(
    "/imports/volunteers",
    response_model=ImportReport,
    status_code=201,
    tags=["volunteers"],
    summary="导入志愿者花名册(Excel/CSV)/ import a station's volunteer roster",
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
async def import_roster(
    request: Request,
    context: RequestContext,
    principal: Official,
    idempotent: Idempotent,
    dry_run: Annotated[bool, Query(description="只校验不写入 / validate only")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="有错误则全部不导入 / write nothing if any row is bad")
    ] = True,
    prefer: PreferHeader = None,
) -> JSONResponse:
    content, filename = await read_upload(request)
    accepted = await accept_in_background(
        request,
        context.session,
        runtime_of(request),
        principal,
        idempotent,
        kind=jobs.VOLUNTEERS_IMPORT.name,
        content=content,
        filename=filename,
        options={"dry_run": dry_run, "all_or_nothing": all_or_nothing},
        prefer=prefer,
    )
    if accepted is not None:
        return accepted
    report = await imports.import_roster(
        context, principal, content, filename, dry_run=dry_run, all_or_nothing=all_or_nothing
    )
    return await idempotent.respond(report, status_code=200 if dry_run else 201)
