"""Snapshots shaped as the events, for the metrics reconciliation: nothing personal (no
name, no address, no findings, no caller), exactly what the events carried."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common.events.needs import (
    HomeVisitRecorded,
    HouseholdSnapshot,
    NeedSnapshot,
    PlatformSnapshot,
)
from canlian.common.pagination import Page, Paging
from canlian.common.query_parameters import RegionOrWithin
from canlian.needs.dependencies import OfficialContext, region_prefix
from canlian.needs.households import service as households
from canlian.needs.households.models import HouseholdMember, MemberService
from canlian.needs.needs import service as needs
from canlian.needs.platforms import service as platforms
from canlian.needs.reconciliation import repository
from canlian.needs.visits import service as visits

router = APIRouter(prefix="/v1", tags=["reconciliation"])

NOTHING_PERSONAL = "不含姓名、地址、电话等个人信息 / nothing personal: no name, address or phone"


@router.get(
    "/household-snapshots",
    response_model=Page[HouseholdSnapshot],
    summary="家庭档案快照(与事件同形,供指标核对)/ household files shaped as the events, "
    "for reconciliation",
    description=NOTHING_PERSONAL,
)
async def household_snapshots(
    context: OfficialContext, paging: Paging, region: RegionOrWithin
) -> Page[HouseholdSnapshot]:
    session = context.session
    rows, cursor = await repository.households_within(
        session, region_prefix(context, region), paging
    )
    members = await repository.members_of_households(session, [row.id for row in rows])
    services = await repository.services_of_members(session, [member.id for member in members])
    members_by: dict[str, list[HouseholdMember]] = {}
    for member in members:
        members_by.setdefault(member.household_id, []).append(member)
    household_of = {member.id: member.household_id for member in members}
    services_by: dict[str, list[MemberService]] = {}
    for service in services:
        services_by.setdefault(household_of[service.member_id], []).append(service)
    items = [
        HouseholdSnapshot(
            **households.snapshot(row, members_by.get(row.id, []), services_by.get(row.id, []))
        )
        for row in rows
    ]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/visit-snapshots",
    response_model=Page[HomeVisitRecorded],
    summary="入户访视快照(与事件同形,供指标核对)/ home visits shaped as the events, "
    "for reconciliation",
    description=NOTHING_PERSONAL,
)
async def visit_snapshots(
    context: OfficialContext, paging: Paging, region: RegionOrWithin
) -> Page[HomeVisitRecorded]:
    rows, cursor = await repository.visits_within(
        context.session, region_prefix(context, region), paging
    )
    return Page(items=[visits.visit_event(row) for row in rows], next_cursor=cursor)


@router.get(
    "/need-snapshots",
    response_model=Page[NeedSnapshot],
    summary="服务需求快照(与事件同形,供指标核对)/ needs shaped as the events, for reconciliation",
    description=NOTHING_PERSONAL,
)
async def need_snapshots(
    context: OfficialContext, paging: Paging, region: RegionOrWithin
) -> Page[NeedSnapshot]:
    rows, cursor = await repository.needs_within(
        context.session, region_prefix(context, region), paging
    )
    return Page(items=[NeedSnapshot(**needs.snapshot(row)) for row in rows], next_cursor=cursor)


@router.get(
    "/platform-snapshots",
    response_model=Page[PlatformSnapshot],
    summary="服务平台快照(与事件同形,供指标核对)/ service platforms shaped as the events, "
    "for reconciliation",
)
async def platform_snapshots(
    context: OfficialContext, paging: Paging, region: RegionOrWithin
) -> Page[PlatformSnapshot]:
    rows, cursor = await repository.platforms_within(
        context.session, region_prefix(context, region), paging
    )
    return Page(
        items=[PlatformSnapshot(**platforms.snapshot(row)) for row in rows], next_cursor=cursor
    )
