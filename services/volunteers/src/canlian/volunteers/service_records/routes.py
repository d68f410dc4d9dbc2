"""Review of service records by team leaders and officials, and officials' list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch
from canlian.common.pagination import Page, Paging
from canlian.common.problems import language_of
from canlian.common.sorting import SortOrder, sorting
from canlian.volunteers.bodies import ID_PATTERN
from canlian.volunteers.dependencies import IdPath, Official, RequestContext, Reviewer
from canlian.volunteers.service_records import repository, review
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.service_records.responses import record_read
from canlian.volunteers.service_records.schemas import (
    RecordRead,
    RecordRejection,
    RecordStatus,
    ReviewBatch,
    ReviewBatchResult,
)

# By check-in (default), by the day served, or by length.
RECORD_ORDERS = sorting(
    {
        "checked_in_at": [ServiceRecord.checked_in_at, ServiceRecord.id],
        "served_on": [ServiceRecord.served_on, ServiceRecord.id],
        "minutes": [ServiceRecord.minutes, ServiceRecord.id],
    },
    default="checked_in_at",
)
RecordOrder = Annotated[SortOrder, Depends(RECORD_ORDERS)]

router = APIRouter(prefix="/v1")


def _with_etag(record: ServiceRecord, response: Response) -> RecordRead:
    """A record as read, its version as the ETag a review sends back in If-Match."""
    response.headers["ETag"] = etag(record.version)
    return record_read(record)


@router.post(
    "/service-records/{record_id}/confirm",
    response_model=RecordRead,
    tags=["service records"],
    summary="确认服务记录 / confirm a record",
    responses={
        403: {
            "description": "本人记录,或服务地不在本队区划内 / one's own record, or a place "
            "of service outside the team's division",
            "content": {"application/problem+json": {}},
        }
    },
    description="队长或服务站工作人员确认;不能确认本人的记录 / by the team leader or officials; "
    "never one's own",
)
async def confirm_record(
    record_id: IdPath,
    context: RequestContext,
    principal: Reviewer,
    precondition: IfMatch,
    response: Response,
) -> RecordRead:
    record = await review.record_for_review(context, principal, record_id, precondition)
    return _with_etag(await review.confirm_record(context, principal, record), response)


@router.post(
    "/service-records/{record_id}/reject",
    response_model=RecordRead,
    tags=["service records"],
    summary="退回服务记录 / reject a record",
)
async def reject_record(
    record_id: IdPath,
    body: RecordRejection,
    context: RequestContext,
    principal: Reviewer,
    precondition: IfMatch,
    response: Response,
) -> RecordRead:
    record = await review.record_for_review(context, principal, record_id, precondition)
    return _with_etag(await review.reject_record(context, principal, record, body.reason), response)


@router.get(
    "/service-records/{record_id}",
    response_model=RecordRead,
    tags=["service records"],
    summary="一条服务记录 / one service record",
    description="官员(本辖区)、队长(本队)或志愿者本人;ETag 为其版本,确认或退回时以 "
    "If-Match 提交 / officials in their region, the team leader, or the volunteer; the ETag "
    "is its version, sent back in If-Match to confirm or reject",
)
async def get_record(
    record_id: IdPath, context: RequestContext, principal: Reviewer, response: Response
) -> RecordRead:
    return _with_etag(await review.record_in_scope(context, principal, record_id), response)


@router.post(
    "/service-records/reviews",
    response_model=ReviewBatchResult,
    tags=["service records"],
    summary="批量确认或退回 / confirm or reject many records",
    description="每条分别报告结果;未能审核的记录不作任何改动 / one result per record; a "
    "record that cannot be reviewed is left as it was",
)
async def review_records(
    request: Request,
    body: ReviewBatch,
    context: RequestContext,
    principal: Reviewer,
    idempotent: Idempotent,
) -> Response:
    result = await review.review_batch(context, principal, body.decisions, language_of(request))
    return await idempotent.respond(result, status_code=200)


@router.get(
    "/service-records",
    response_model=Page[RecordRead],
    tags=["service records"],
    summary="服务记录(本辖区)/ service records in my region",
)
async def list_records(
    context: RequestContext,
    principal: Official,
    paging: Paging,
    order: RecordOrder,
    status: RecordStatus | None = None,
    volunteer_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    team_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    served_from: Annotated[date | None, Query(alias="from")] = None,
    served_to: Annotated[date | None, Query(alias="to")] = None,
) -> Page[RecordRead]:
    rows, cursor = await repository.list_records(
        context.session,
        paging,
        region_prefix=principal.region_prefix,
        volunteer_id=volunteer_id,
        team_ids=[team_id] if team_id else None,
        status=status,
        served_from=served_from,
        served_to=served_to,
        order=order,
    )
    return Page(items=[record_read(row) for row in rows], next_cursor=cursor)
