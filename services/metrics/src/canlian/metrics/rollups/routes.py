"""Routes of the rollups' operations: parked events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from canlian.common.dependencies import Idempotent, Session
from canlian.common.pagination import Page, Paging, paginate
from canlian.metrics.parameters import NationalAdmin
from canlian.metrics.rollups import parked as rollups_parked
from canlian.metrics.rollups import schemas
from canlian.metrics.rollups.models import ParkedEvent

router = APIRouter(prefix="/v1")


@router.get(
    "/parked-events",
    response_model=Page[schemas.ParkedEventRead],
    tags=["运维 / operations"],
    summary="暂存的无法处理的事件(全国管理员)/ parked events (national admin)",
    responses={
        403: {
            "description": "须全国范围的管理员 / needs an administrator of national scope",
            "content": {"application/problem+json": {}},
        }
    },
)
async def list_parked_events(
    session: Session, _principal: NationalAdmin, paging: Paging
) -> Page[schemas.ParkedEventRead]:
    rows, cursor = await paginate(
        session, select(ParkedEvent), [ParkedEvent.parked_at, ParkedEvent.event_id], paging
    )
    return Page(
        items=[
            schemas.ParkedEventRead(
                event_id=row.event_id,
                event_type=row.event_type,
                dataschema=row.dataschema,
                reason=row.reason,
                parked_at=row.parked_at,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


@router.post(
    "/parked-events/replay",
    response_model=schemas.ParkedReplay,
    tags=["运维 / operations"],
    summary="重试暂存事件(部署新版本后)/ retry parked events after a deploy (national admin)",
    responses={
        403: {
            "description": "须全国范围的管理员 / needs an administrator of national scope",
            "content": {"application/problem+json": {}},
        }
    },
)
async def replay_parked_events(
    session: Session,
    _principal: NationalAdmin,
    idempotent: Idempotent,
    limit: Annotated[int, Query(ge=1, le=5000, description="最多重试条数 / at most")] = 1000,
) -> Response:
    result = await rollups_parked.replay_parked(session, limit)
    return await idempotent.respond(result, status_code=200)
