"""HTTP routes of federation staff: parse, authorise, call the service."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from canlian.common.audit import AccessReason, record_unmasked_read
from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import FederationStaffSnapshot, StaffEmployment
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.personal_data import PersonalDataProtector, mask_name
from canlian.org_registry.api import Official, OrganisationId, Reader, search_prefix
from canlian.org_registry.context import context_of
from canlian.org_registry.staff import repository, service
from canlian.org_registry.staff.models import FederationStaff, GrassrootsDays
from canlian.org_registry.staff.schemas import (
    CouncilMemberBelow,
    GrassrootsDaysRead,
    GrassrootsDaysSet,
    StaffComposition,
    StaffCreate,
    StaffId,
    StaffPersonalData,
    StaffRead,
    StaffUpdate,
    Year,
)

router = APIRouter(prefix="/v1", tags=["残联工作人员 / federation staff"])

RegionQuery = Annotated[
    DivisionCode | None,
    Query(description="区划(默认为本人管辖范围)/ region, defaults to your scope"),
]


async def _read(
    session: Session,
    protector: PersonalDataProtector,
    staff: FederationStaff,
    days: list[GrassrootsDays] | None = None,
) -> StaffRead:
    if days is None:
        days = (await repository.days_of(session, [staff.id])).get(staff.id, [])
    minimums = {
        row.year: await service.minimum_days(session, staff.division_code, row.year) for row in days
    }
    return StaffRead(
        id=staff.id,
        organisation_id=staff.organisation_id,
        division_code=staff.division_code,
        name=mask_name(protector.decrypt(staff.name_encrypted)),
        employment=StaffEmployment(staff.employment),
        is_disabled=staff.is_disabled,
        disability_category=staff.disability_category,
        on_executive_council=staff.on_executive_council,
        joined_on=staff.joined_on,
        left_on=staff.left_on,
        grassroots_days=[
            GrassrootsDaysRead(
                year=row.year,
                days=row.days,
                minimum_days=minimums[row.year],
                met=row.days >= minimums[row.year],
            )
            for row in days
        ],
        version=staff.version,
        updated_by=staff.updated_by,
    )


@router.post(
    "/federation-staff",
    status_code=201,
    openapi_extra=created("/v1/federation-staff/{id}"),
    response_model=StaffRead,
    summary="登记残联工作人员 / record a member of a federation's staff",
)
async def record_staff(
    body: StaffCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    staff = await service.record_staff(session, context_of(runtime, principal), body)
    reply = await idempotent.respond(await _read(session, runtime.personal_data, staff, []))
    reply.headers["ETag"] = etag(staff.version)
    return reply


@router.get("/federation-staff", response_model=Page[StaffRead])
async def list_staff(
    session: Session,
    runtime: Runtime,
    principal: Reader,
    paging: Paging,
    region: RegionQuery = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[StaffRead]:
    statement = repository.staff_in(search_prefix(principal, region), organisation_id)
    rows, cursor = await paginate(session, statement, [FederationStaff.id], paging)
    days = await repository.days_of(session, [row.id for row in rows])
    return Page(
        items=[
            await _read(session, runtime.personal_data, row, days.get(row.id, [])) for row in rows
        ],
        next_cursor=cursor,
    )


@router.get(
    "/federation-staff-snapshots",
    response_model=Page[FederationStaffSnapshot],
    summary="工作人员快照(与事件同形,不含姓名,供指标核对)/ staff snapshots shaped as the "
    "events, without names, for reconciliation",
)
async def staff_snapshots(
    session: Session, principal: Reader, paging: Paging, region: RegionQuery = None
) -> Page[FederationStaffSnapshot]:
    statement = repository.staff_in(search_prefix(principal, region))
    rows, cursor = await paginate(session, statement, [FederationStaff.id], paging)
    return Page(
        items=[FederationStaffSnapshot(**service.snapshot(row)) for row in rows],
        next_cursor=cursor,
    )


@router.get("/federation-staff/{staff_id}", response_model=StaffRead)
async def get_staff(
    staff_id: StaffId, session: Session, runtime: Runtime, principal: Reader, response: Response
) -> StaffRead:
    staff = await service.get_staff(session, principal, staff_id)
    response.headers["ETag"] = etag(staff.version)
    return await _read(session, runtime.personal_data, staff)


@router.get(
    "/federation-staff/{staff_id}/personal-data",
    response_model=StaffPersonalData,
    summary="查看未脱敏姓名(需授权并记录审计)/ the unmasked name, audited",
    description="X-Access-Reason 中的中文请按 UTF-8 百分号编码 / percent-encode a Chinese "
    "reason (UTF-8) in X-Access-Reason.",
)
async def reveal_staff_personal_data(
    staff_id: StaffId,
    session: Session,
    runtime: Runtime,
    principal: Reader,
    reason: AccessReason = None,
) -> StaffPersonalData:
    staff = await service.get_staff(session, principal, staff_id)
    await record_unmasked_read(
        session,
        runtime.tables,
        principal,
        object_type="federation_staff",
        object_id=str(staff.id),
        reason=reason,
    )
    return StaffPersonalData(id=staff.id, name=runtime.personal_data.decrypt(staff.name_encrypted))


@router.patch(
    "/federation-staff/{staff_id}",
    response_model=StaffRead,
    summary="修改身份、残疾情况、执行理事会或离岗 / change employment, disability, council, left",
)
async def update_staff(
    staff_id: StaffId,
    body: StaffUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> StaffRead:
    staff = await service.update_staff(
        session, context_of(runtime, principal), staff_id, body, precondition
    )
    response.headers["ETag"] = etag(staff.version)
    return await _read(session, runtime.personal_data, staff)


@router.put(
    "/federation-staff/{staff_id}/grassroots-days/{year}",
    response_model=StaffRead,
    summary="录入当年下基层调研天数 / record the year's days at the grass roots",
    description="与地区政策 staff.grassroots_days_minimum(种子002:不少于60天)比较;If-Match 为"
    "工作人员的 ETag / judged by the region's minimum (seed 002: 60); If-Match is the staff "
    "member's ETag",
)
async def set_grassroots_days(
    staff_id: StaffId,
    year: Year,
    body: GrassrootsDaysSet,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> StaffRead:
    staff = await service.set_grassroots_days(
        session, context_of(runtime, principal), staff_id, year, body, precondition
    )
    response.headers["ETag"] = etag(staff.version)
    return await _read(session, runtime.personal_data, staff)


@router.get(
    "/organisations/{organisation_id}/staff-composition",
    response_model=StaffComposition,
    summary="残联工作人员结构:残疾人干部比例、挂职兼职比例、执行理事会下基层天数 / staff "
    "composition: disabled cadres' share, seconded and part-time share, council days",
)
async def staff_composition(
    organisation_id: OrganisationId,
    session: Session,
    principal: Reader,
    as_of: Annotated[date | None, Query(description="统计日期(默认今天)/ as of")] = None,
) -> StaffComposition:
    on = as_of or china_today()
    division, result, share, days_minimum, below = await service.composition(
        session, principal, organisation_id, on
    )
    return StaffComposition(
        organisation_id=organisation_id,
        division_code=division,
        as_of=on,
        staff_in_post=result.total,
        disabled_cadres=result.disabled,
        disabled_share=result.disabled_share,
        disabled_share_minimum=share,
        disabled_share_met=result.disabled_share_met,
        seconded_or_part_time=result.seconded_or_part_time,
        seconded_or_part_time_share=result.seconded_or_part_time_share,
        year=on.year,
        grassroots_days_minimum=days_minimum,
        council_members_below=[
            CouncilMemberBelow(staff_id=staff_id, days=days) for staff_id, days in below
        ],
    )
