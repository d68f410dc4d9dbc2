"""Officials' recognition: trainings, honours, a volunteer's recognition, star policies."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch
from canlian.common.divisions import DivisionCode
from canlian.common.errors import OutsideScope
from canlian.common.locations import created
from canlian.volunteers.dependencies import IdPath, Official, RequestContext, Reviewer
from canlian.volunteers.recognition import service, stars
from canlian.volunteers.recognition.responses import honour_read, recognition_of, training_read
from canlian.volunteers.recognition.schemas import (
    HonourCreate,
    HonourRead,
    Recognition,
    StarPolicyRead,
    StarPolicyWrite,
    TrainingCreate,
    TrainingRead,
)
from canlian.volunteers.volunteers.service import volunteer_in_scope

router = APIRouter(prefix="/v1")


@router.post(
    "/volunteers/{volunteer_id}/trainings",
    status_code=201,
    openapi_extra=created("/v1/volunteers/{volunteer_id}/recognition"),
    response_model=TrainingRead,
    tags=["recognition"],
    summary="登记培训 / record a training",
)
async def add_training(
    volunteer_id: IdPath,
    body: TrainingCreate,
    context: RequestContext,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    volunteer = await volunteer_in_scope(context, principal, volunteer_id, for_update=True)
    training = await service.record_training(context, principal, volunteer, body)
    return await idempotent.respond(training_read(training))


@router.post(
    "/volunteers/{volunteer_id}/honours",
    status_code=201,
    openapi_extra=created("/v1/volunteers/{volunteer_id}/recognition"),
    response_model=HonourRead,
    tags=["recognition"],
    summary="登记荣誉表彰 / record an honour",
)
async def add_honour(
    volunteer_id: IdPath,
    body: HonourCreate,
    context: RequestContext,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    volunteer = await volunteer_in_scope(context, principal, volunteer_id)
    honour = await service.record_honour(context, principal, volunteer, body)
    return await idempotent.respond(honour_read(honour))


@router.get(
    "/volunteers/{volunteer_id}/recognition",
    response_model=Recognition,
    tags=["recognition"],
    summary="星级、培训与荣誉 / star level, trainings, honours",
)
async def volunteer_recognition(
    volunteer_id: IdPath, context: RequestContext, principal: Official
) -> Recognition:
    volunteer = await volunteer_in_scope(context, principal, volunteer_id)
    return await recognition_of(context, volunteer)


@router.put(
    "/star-policies/{division_code}",
    response_model=StarPolicyRead,
    tags=["recognition"],
    summary="设定本地区星级标准(替换已有标准时回传其 ETag)/ set a region's star thresholds "
    "(replacing its own names the ETag read)",
)
async def put_star_policy(
    division_code: DivisionCode,
    body: StarPolicyWrite,
    context: RequestContext,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> StarPolicyRead:
    policy = await stars.set_star_policy(
        context, principal, division_code, body.thresholds_hours, precondition
    )
    response.headers["ETag"] = etag(policy.version)
    return StarPolicyRead(
        division_code=policy.division_code,
        thresholds_hours=stars.thresholds_of(policy),
        source_division_code=policy.division_code,
    )


@router.get(
    "/star-policies/{division_code}",
    response_model=StarPolicyRead,
    tags=["recognition"],
    summary="生效的星级标准(最近上级);本地区自有标准时带 ETag / effective star thresholds "
    "(nearest ancestor); the ETag when the region has its own",
)
async def get_star_policy(
    division_code: DivisionCode, context: RequestContext, principal: Reviewer, response: Response
) -> StarPolicyRead:
    if not principal.covers(division_code):
        raise OutsideScope(what="星级标准 / star policy")
    thresholds, source = await stars.effective_thresholds(context.session, division_code)
    if source == division_code:
        version = await stars.own_policy_version(context.session, division_code)
        if version is not None:
            response.headers["ETag"] = etag(version)
    return StarPolicyRead(
        division_code=division_code, thresholds_hours=thresholds, source_division_code=source
    )
