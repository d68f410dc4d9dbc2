"""Snapshots shaped as the events, for the metrics reconciliation: nothing personal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from canlian.common import auth, divisions
from canlian.common.divisions import DivisionCode
from canlian.common.events.volunteers import ServiceRecordConfirmed, VolunteerSnapshot
from canlian.common.pagination import Page, Paging
from canlian.common.query_parameters import RegionOrWithin
from canlian.volunteers.dependencies import Official, RequestContext
from canlian.volunteers.reconciliation import repository
from canlian.volunteers.service_records.events import record_snapshot
from canlian.volunteers.volunteers.service import snapshot

router = APIRouter(prefix="/v1")

WithinFilter = Annotated[
    DivisionCode | None,
    Query(description="区划内(须在管辖范围内)/ within this division (inside your scope)"),
]


def _within(principal: auth.Principal, within: str | None) -> str:
    if within is None:
        return principal.region_prefix
    principal.ensure_covers(within)
    return divisions.prefix(within)


@router.get(
    "/volunteer-snapshots",
    response_model=Page[VolunteerSnapshot],
    tags=["reconciliation"],
    summary="志愿者快照(与事件同形,供指标核对)/ volunteer snapshots shaped as the events, "
    "for reconciliation",
    description="不含姓名、电话等个人信息 / nothing personal: no name, phone or ID",
)
async def volunteer_snapshots(
    context: RequestContext, principal: Official, paging: Paging, within: RegionOrWithin
) -> Page[VolunteerSnapshot]:
    rows, cursor = await repository.volunteers_within(
        context.session, _within(principal, within), paging
    )
    return Page(items=[snapshot(row) for row in rows], next_cursor=cursor)


@router.get(
    "/service-record-snapshots",
    response_model=Page[ServiceRecordConfirmed],
    tags=["reconciliation"],
    summary="已确认服务记录快照(与事件同形,供指标核对)/ confirmed service records shaped as "
    "the events, for reconciliation",
)
async def service_record_snapshots(
    context: RequestContext, principal: Official, paging: Paging, within: RegionOrWithin
) -> Page[ServiceRecordConfirmed]:
    rows, cursor = await repository.confirmed_records_within(
        context.session, _within(principal, within), paging
    )
    homes = await repository.divisions_of_volunteers(
        context.session, {row.volunteer_id for row in rows}
    )
    return Page(
        items=[record_snapshot(row, homes[row.volunteer_id]) for row in rows],
        next_cursor=cursor,
    )
