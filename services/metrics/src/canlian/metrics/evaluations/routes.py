"""Routes of evaluations: draft, approve, the page (JSON), the PDF, the comparison below."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Session, runtime_of
from canlian.common.events.metrics import EvaluationKind
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging
from canlian.metrics import hierarchy
from canlian.metrics.evaluations import publication, schemas, service
from canlian.metrics.evaluations.problems import (
    CONFLICT_RESPONSE,
    FORBIDDEN_RESPONSE,
    NO_LOCKED_FIGURES_RESPONSE,
    NOT_FOUND_RESPONSE,
)
from canlian.metrics.parameters import Official, Region

router = APIRouter(prefix="/v1")

TAGS: list[str | Enum] = ["规划评估 / evaluations"]

EvaluationId = Annotated[int, Path(ge=1, le=2**62, description="评估编号 / evaluation id")]


@router.post(
    "/plans/{plan}/evaluations",
    status_code=201,
    openapi_extra=created("/v1/evaluations/{id}"),
    response_model=schemas.EvaluationRead,
    tags=TAGS,
    summary="起草(或重新起草)中期、终期评估(依据锁定的上报数据)/ draft a mid-term or final "
    "evaluation from the accepted figures",
    description="重新起草时在 If-Match 中回传所读草稿的 ETag,首次起草不需要 / a redraft sends the "
    "ETag of the draft it read in If-Match; the first draft needs none",
    responses={
        403: FORBIDDEN_RESPONSE,
        404: NOT_FOUND_RESPONSE,
        409: CONFLICT_RESPONSE,
        422: NO_LOCKED_FIGURES_RESPONSE,
    },
)
async def draft(
    plan: Annotated[str, Path(max_length=40, description="规划代码 / plan code")],
    body: schemas.EvaluationDraft,
    request: Request,
    session: Session,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> Response:
    drafted = await service.draft(
        session, runtime_of(request).outbox, principal, plan, body, precondition
    )
    reply = await idempotent.respond(drafted, status_code=201)
    reply.headers["ETag"] = etag(drafted.revision)
    return reply


@router.post(
    "/evaluations/{evaluation_id}/approve",
    response_model=schemas.EvaluationRead,
    tags=TAGS,
    summary="上级审定评估(此后不可更改)/ the level above approves: on record, immutable",
    responses={403: FORBIDDEN_RESPONSE, 404: NOT_FOUND_RESPONSE, 409: CONFLICT_RESPONSE},
)
async def approve(
    evaluation_id: EvaluationId,
    request: Request,
    session: Session,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> schemas.EvaluationRead:
    approved = await service.approve(
        session, runtime_of(request).outbox, principal, evaluation_id, precondition
    )
    response.headers["ETag"] = etag(approved.revision)
    return approved


@router.get(
    "/evaluations/{evaluation_id}",
    response_model=schemas.EvaluationRead,
    tags=TAGS,
    summary="评估(锁定数据、各指标达标状态、结论、审定人)/ an evaluation",
    responses={404: NOT_FOUND_RESPONSE},
)
async def get_evaluation(
    evaluation_id: EvaluationId, session: Session, principal: Official, response: Response
) -> schemas.EvaluationRead:
    evaluation = await service.get_evaluation(session, principal, evaluation_id)
    response.headers["ETag"] = etag(evaluation.revision)
    return evaluation


@router.get(
    "/evaluations/{evaluation_id}/report.pdf",
    tags=TAGS,
    summary="评估报告(PDF,A4 横向,信息公开)/ the evaluation for publication",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 404: NOT_FOUND_RESPONSE},
)
async def evaluation_pdf(
    evaluation_id: EvaluationId, session: Session, principal: Official
) -> Response:
    evaluation = await service.get_evaluation(session, principal, evaluation_id)
    unit = await service.approving_unit(session, evaluation)
    return Response(
        publication.evaluation_pdf(evaluation, unit),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="evaluation-'
            f'{evaluation.region.code}-{evaluation.plan}-{evaluation.kind.value}.pdf"'
        },
    )


@router.get(
    "/regions/{code}/evaluations",
    response_model=Page[schemas.ComparedRegion],
    tags=TAGS,
    summary="下级评估对比:某指标在各下级已审定评估中的达标状态(如中期评估专职委员未达标的县)"
    " / the regions below with one indicator's status in their approved evaluations",
    responses={404: NOT_FOUND_RESPONSE, 422: NO_LOCKED_FIGURES_RESPONSE},
)
async def compare(
    code: Region,
    session: Session,
    principal: Official,
    paging: Paging,
    plan: Annotated[str, Query(max_length=40, description="规划代码 / plan code")],
    kind: Annotated[EvaluationKind, Query(description="midterm 中期 / final 终期")],
    indicator: Annotated[str, Query(max_length=60, description="指标代码 / indicator code")],
    status: Annotated[
        schemas.Outcome | None,
        Query(description="只列该状态(如 not_met 未达标)/ only this status"),
    ] = None,
    level: Annotated[
        hierarchy.Level | None,
        Query(description="对比该层级的全部区划(默认直接下级)/ level, default the children"),
    ] = None,
) -> Page[schemas.ComparedRegion]:
    return await service.compare(
        session,
        principal,
        code,
        plan_code=plan,
        kind=kind,
        indicator=indicator,
        status=status,
        level=level.number if level is not None else None,
        paging=paging,
    )
