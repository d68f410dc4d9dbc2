"""Routes of submissions: submit, review, the upper level's overview, the locked figures."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Session, runtime_of
from canlian.common.locations import created
from canlian.common.pagination import Items
from canlian.metrics import hierarchy
from canlian.metrics.parameters import Official, Region
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.submissions import overview, schemas, service

router = APIRouter(prefix="/v1")

TAGS: list[str | Enum] = ["上报审核 / submissions"]

Year = Annotated[int, Path(ge=2000, le=2100, description="统计年度 / year")]

SubmissionId = Annotated[int, Path(ge=1, description="上报记录编号 / submission id")]


@router.post(
    "/plans/{plan}/submissions",
    status_code=201,
    openapi_extra=created("/v1/submissions/{id}"),
    response_model=schemas.SubmissionRead,
    tags=TAGS,
    summary="上报某年度数据(冻结年末快照)/ submit a year's figures (a frozen snapshot)",
)
async def submit(
    plan: str,
    body: schemas.SubmissionCreate,
    request: Request,
    session: Session,
    principal: Official,
    idempotent: Idempotent,
) -> Response:
    created = await service.submit(session, runtime_of(request).outbox, principal, plan, body)
    return await idempotent.respond(created, status_code=201)


@router.post(
    "/submissions/{submission_id}/accept",
    response_model=schemas.SubmissionRead,
    tags=TAGS,
    summary="上级审核通过(数据锁定)/ the level above accepts: figures locked",
)
async def accept(
    submission_id: SubmissionId,
    request: Request,
    session: Session,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> schemas.SubmissionRead:
    accepted = await service.accept(
        session, runtime_of(request).outbox, principal, submission_id, precondition
    )
    response.headers["ETag"] = etag(accepted.revision)
    return accepted


@router.post(
    "/submissions/{submission_id}/return",
    response_model=schemas.SubmissionRead,
    tags=TAGS,
    summary="上级退回(附理由)/ the level above returns it with reasons",
)
async def return_submission(
    submission_id: SubmissionId,
    body: schemas.SubmissionReturn,
    request: Request,
    session: Session,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> schemas.SubmissionRead:
    returned = await service.return_submission(
        session, runtime_of(request).outbox, principal, submission_id, body, precondition
    )
    response.headers["ETag"] = etag(returned.revision)
    return returned


@router.get(
    "/submissions/{submission_id}",
    response_model=schemas.SubmissionRead,
    tags=TAGS,
    summary="上报记录 / a submission",
)
async def get_submission(
    submission_id: SubmissionId, session: Session, principal: Official, response: Response
) -> schemas.SubmissionRead:
    submission = await service.get_submission(session, principal, submission_id)
    response.headers["ETag"] = etag(submission.revision)
    return submission


@router.get(
    "/plans/{plan}/submissions/{code}/{year}",
    response_model=Items[schemas.SubmissionRead],
    tags=TAGS,
    summary="某区划某年度的全部版本 / every version of a region's figures for a year",
)
async def versions(
    plan: str, code: Region, year: Year, session: Session, principal: Official
) -> Items[schemas.SubmissionRead]:
    return Items(items=await service.versions(session, principal, plan, code, year))


@router.get(
    "/plans/{plan}/submissions/{code}/{year}/indicators",
    response_model=regions_schemas.RegionIndicators,
    tags=TAGS,
    summary="锁定年度的指标(读自审核通过的快照)/ a locked year's indicators, from the snapshot",
)
async def locked_indicators(
    plan: str, code: Region, year: Year, session: Session, principal: Official
) -> regions_schemas.RegionIndicators:
    return await service.locked_indicators(session, principal, plan, code, year)


@router.put(
    "/plans/{plan}/submission-deadlines",
    response_model=schemas.DeadlineSet,
    tags=TAGS,
    summary="设定下级上报截止日期(修改已有日期时回传其 ETag)/ set the date the regions below "
    "submit by (moving one names the ETag read)",
)
async def set_deadline(
    plan: str,
    body: schemas.DeadlineSet,
    session: Session,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> schemas.DeadlineSet:
    saved, version = await service.set_deadline(session, principal, plan, body, precondition)
    response.headers["ETag"] = etag(version)
    return saved


@router.get(
    "/plans/{plan}/submission-deadlines/{code}/{year}",
    response_model=schemas.DeadlineSet,
    tags=TAGS,
    summary="某区划设定的截止日期(ETag 供修改)/ a region's deadline, with its ETag",
)
async def get_deadline(
    plan: str, code: Region, year: Year, session: Session, principal: Official, response: Response
) -> schemas.DeadlineSet:
    found, version = await service.get_deadline(session, principal, plan, code, year)
    response.headers["ETag"] = etag(version)
    return found


@router.get(
    "/regions/{code}/submissions",
    response_model=schemas.SubmissionOverview,
    tags=TAGS,
    summary="下级上报情况:未报、待审、退回、通过及截止日期 / status of every region below",
)
async def submission_overview(
    code: Region,
    session: Session,
    principal: Official,
    plan: Annotated[str, Query(max_length=40, description="规划代码 / plan code")],
    year: Annotated[int, Query(ge=2000, le=2100, description="统计年度 / year")],
    level: Annotated[
        hierarchy.Level | None,
        Query(description="列出该层级的全部区划(默认直接下级)/ level, default the children"),
    ] = None,
) -> schemas.SubmissionOverview:
    return await overview.overview(
        session,
        principal,
        code,
        plan_code=plan,
        year=year,
        level=level.number if level is not None else None,
    )
