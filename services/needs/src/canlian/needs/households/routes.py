"""Household files (一户一档): register, list, read masked, change with If-Match."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from canlian.common import audit
from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime
from canlian.common.divisions import DivisionCode
from canlian.common.events.needs import DifficultyFlag, ServiceKind
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging
from canlian.common.sorting import SortOrder, sorting
from canlian.needs.context import Context
from canlian.needs.dependencies import IdPath, OfficialContext, region_prefix
from canlian.needs.households import repository, service
from canlian.needs.households.models import Household
from canlian.needs.households.schemas import (
    HouseholdChange,
    HouseholdContact,
    HouseholdCreate,
    HouseholdRead,
    HouseholdSummary,
    MemberContact,
    MemberInput,
    ServiceStatusInput,
)
from canlian.needs.households.views import household_read, household_summary

# By region (default) or by the date registered.
HOUSEHOLD_ORDERS = sorting(
    {
        "division_code": [Household.division_code, Household.id],
        "registered_on": [Household.registered_on, Household.id],
    },
    default="division_code",
)
HouseholdOrder = Annotated[SortOrder, Depends(HOUSEHOLD_ORDERS)]

router = APIRouter(prefix="/v1/households", tags=["households 一户一档"])

DUE_SOON_DAYS = 7


class VisitFilter(StrEnum):
    OVERDUE = "overdue"  # 逾期未访
    DUE = "due"  # 7 天内到期(含逾期)


async def _read(context: Context, household: Household, response: Response) -> HouseholdRead:
    members = await repository.members_of(context.session, household.id)
    services = await repository.services_of(context.session, [m.id for m in members])
    response.headers["ETag"] = etag(household.version)
    return household_read(context.personal_data, household, members, services)


@router.post(
    "",
    response_model=HouseholdRead,
    status_code=201,
    openapi_extra=created("/v1/households/{id}"),
    summary="建立家庭档案 / register a household file",
)
async def register_household(
    body: HouseholdCreate, context: OfficialContext, idempotent: Idempotent, response: Response
) -> Response:
    household = await service.register(context, body)
    read = await _read(context, household, response)
    return await idempotent.respond(read, status_code=201)


@router.get(
    "",
    response_model=Page[HouseholdSummary],
    summary="家庭档案列表 / household files in a region",
)
async def list_households(
    context: OfficialContext,
    paging: Paging,
    order: HouseholdOrder,
    division: Annotated[
        DivisionCode | None,
        Query(alias="region", description="区划,须在管辖范围内 / within your scope"),
    ] = None,
    flag: Annotated[DifficultyFlag | None, Query(description="特殊困难 / flag")] = None,
    visit: Annotated[
        VisitFilter | None, Query(description="overdue 逾期未访 / due 7 天内到期")
    ] = None,
) -> Page[HouseholdSummary]:
    today = china_today()
    due_by = None
    if visit == VisitFilter.OVERDUE:
        due_by = today - timedelta(days=1)
    elif visit == VisitFilter.DUE:
        due_by = today + timedelta(days=DUE_SOON_DAYS)
    rows, cursor = await repository.list_households(
        context.session,
        paging,
        region_prefix=region_prefix(context, division),
        flag=flag.value if flag else None,
        due_by=due_by,
        order=order,
    )
    return Page(items=[household_summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/{household_id}",
    response_model=HouseholdRead,
    summary="家庭档案(脱敏)/ a household file, masked",
)
async def get_household(
    household_id: IdPath, context: OfficialContext, response: Response
) -> HouseholdRead:
    household = await service.household_in_scope(context, household_id)
    return await _read(context, household, response)


@router.get(
    "/{household_id}/contact",
    response_model=HouseholdContact,
    summary="未脱敏住址和姓名(审计)/ unmasked address and names, audited",
    description="需要 personal-data:read 授权和 X-Access-Reason 理由 / needs the "
    "personal-data:read scope and an X-Access-Reason header",
)
async def household_contact(
    household_id: IdPath,
    context: OfficialContext,
    runtime: Runtime,
    reason: audit.AccessReason = None,
) -> HouseholdContact:
    household = await service.household_in_scope(context, household_id)
    await audit.record_unmasked_read(
        context.session,
        runtime.tables,
        context.principal,
        object_type="household",
        object_id=household.id,
        reason=reason,
    )
    pii = context.personal_data
    members = await repository.members_of(context.session, household.id)
    return HouseholdContact(
        id=household.id,
        address=pii.decrypt(household.address_ciphertext),
        members=[MemberContact(id=m.id, name=pii.decrypt(m.name_ciphertext)) for m in members],
    )


@router.patch(
    "/{household_id}",
    response_model=HouseholdRead,
    summary="修改住址或特殊困难 / change the address or the flags",
)
async def change_household(
    household_id: IdPath,
    body: HouseholdChange,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> HouseholdRead:
    household = await service.change(context, household_id, body, precondition)
    return await _read(context, household, response)


@router.post(
    "/{household_id}/members",
    response_model=HouseholdRead,
    summary="增加家庭成员 / add a member",
)
async def add_member(
    household_id: IdPath,
    body: MemberInput,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> HouseholdRead:
    household = await service.add_member(context, household_id, body, precondition)
    return await _read(context, household, response)


@router.put(
    "/{household_id}/members/{member_id}/services/{kind}",
    response_model=HouseholdRead,
    summary="成员的基本服务状况 / a member's status for one basic service",
)
async def set_member_service(
    household_id: IdPath,
    member_id: IdPath,
    kind: ServiceKind,
    body: ServiceStatusInput,
    context: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> HouseholdRead:
    household = await service.set_service(
        context, household_id, member_id, kind, body, precondition
    )
    return await _read(context, household, response)
