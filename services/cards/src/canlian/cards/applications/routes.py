"""HTTP routes of applications: submit, list, read, assess, review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from canlian.cards.applications import repository, service
from canlian.cards.applications.models import Application
from canlian.cards.applications.schemas import (
    ApplicationCreate,
    ApplicationRead,
    AssessmentCreate,
    ReviewCreate,
)
from canlian.cards.applications.views import application_read, application_view
from canlian.cards.bodies import MAX_ID
from canlian.cards.dependencies import OfficialContext, OfficialWrite, RegionFilter, region_prefix
from canlian.cards.persons.service import holders_of
from canlian.common.concurrency import etag
from canlian.common.dependencies import IfMatch
from canlian.common.events.cards import ApplicationStatus
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate

router = APIRouter(prefix="/v1")

ApplicationId = Annotated[int, Path(ge=1, le=MAX_ID, description="申请编号 / application id")]


@router.post(
    "/applications",
    status_code=201,
    openapi_extra=created("/v1/applications/{id}"),
    response_model=ApplicationRead,
    tags=["applications"],
    summary="提交办证申请 / Submit an application",
)
async def submit_application(body: ApplicationCreate, write: OfficialWrite) -> object:
    ctx, idempotent = write
    application = await service.submit_application(ctx, body)
    return await idempotent.respond(await application_read(ctx, application), status_code=201)


@router.get(
    "/applications",
    response_model=Page[ApplicationRead],
    tags=["applications"],
    summary="申请列表 / Applications in your region",
)
async def list_applications(
    ctx: OfficialContext,
    paging: Paging,
    region: RegionFilter = None,
    status: Annotated[ApplicationStatus | None, Query(description="状态 / status")] = None,
) -> Page[ApplicationRead]:
    statement = repository.applications_query(
        region_prefix(ctx, region), status.value if status else None
    )
    rows, cursor = await paginate(ctx.session, statement, [Application.id], paging)
    persons = await holders_of(ctx.session, rows)
    return Page(
        items=[application_view(ctx.pii, row, persons[row.person_id]) for row in rows],
        next_cursor=cursor,
    )


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationRead,
    tags=["applications"],
    summary="申请详情 / An application",
)
async def get_application(
    application_id: ApplicationId, ctx: OfficialContext, response: Response
) -> ApplicationRead:
    application = await service.application_in_scope(ctx, application_id)
    response.headers["ETag"] = etag(application.version)
    return await application_read(ctx, application)


@router.post(
    "/applications/{application_id}/assessment",
    response_model=ApplicationRead,
    tags=["applications"],
    summary="录入评定结果 / Record the assessment",
)
async def assess(
    application_id: ApplicationId,
    body: AssessmentCreate,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> ApplicationRead:
    application = await service.assess(ctx, application_id, body, precondition)
    response.headers["ETag"] = etag(application.version)
    return await application_read(ctx, application)


@router.post(
    "/applications/{application_id}/review",
    response_model=ApplicationRead,
    tags=["applications"],
    summary="审核(通过/不通过)/ Review: approve or reject",
)
async def review(
    application_id: ApplicationId,
    body: ReviewCreate,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> ApplicationRead:
    application = await service.review(ctx, application_id, body, precondition)
    response.headers["ETag"] = etag(application.version)
    return await application_read(ctx, application)
