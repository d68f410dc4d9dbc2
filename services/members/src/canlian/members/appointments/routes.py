"""HTTP routes of appointments and the allowance policy: parse, authorise, call the service."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import JSONResponse

from canlian.common import divisions
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.members import AppointmentStatus, Post, PostLevel
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.sorting import SortOrder, paginate_by, sorting
from canlian.members.api import AsOf, Official, RegionQuery, region_of
from canlian.members.appointments import repository, service
from canlian.members.appointments.models import AllowanceMinimum, Appointment
from canlian.members.appointments.responses import (
    allowance_read,
    appointment_detail,
    appointment_read,
)
from canlian.members.appointments.schemas import (
    AllowanceMinimumRead,
    AllowanceMinimumSaved,
    AllowanceMinimumSet,
    AppointmentCreate,
    AppointmentDetail,
    AppointmentId,
    AppointmentRead,
    AppointmentUpdate,
    TransitionCreate,
)
from canlian.members.archive.schemas import MemberId
from canlian.members.clock import today_in_china

# As appointed (default), by the contract's start, or by the date the status last changed.
APPOINTMENT_ORDERS = sorting(
    {
        "id": [Appointment.id],
        "contract_start": [Appointment.contract_start, Appointment.id],
        "status_since": [Appointment.status_since, Appointment.id],
    },
    default="id",
)
AppointmentOrder = Annotated[SortOrder, Depends(APPOINTMENT_ORDERS)]

router = APIRouter(prefix="/v1")


@router.post(
    "/members/{member_id}/appointments",
    status_code=201,
    openapi_extra=created("/v1/appointments/{id}"),
    response_model=AppointmentRead,
    tags=["聘任 / appointments"],
    summary="聘任到组织岗位 / appoint to an organisation's post",
)
async def appoint(
    member_id: MemberId,
    body: AppointmentCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    appointment = await service.appoint(session, runtime, principal, member_id, body)
    return await idempotent.respond(appointment_read(appointment))


@router.get("/appointments", response_model=Page[AppointmentRead], tags=["聘任 / appointments"])
async def list_appointments(
    session: Session,
    principal: Official,
    paging: Paging,
    order: AppointmentOrder,
    region: RegionQuery = None,
    status: Annotated[AppointmentStatus | None, Query(description="状态 / status")] = None,
    post: Annotated[Post | None, Query(description="岗位 / post")] = None,
    organisation_id: Annotated[str | None, Query(max_length=64)] = None,
    member_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(region_of(principal, region))
    statement = repository.appointments_in(
        prefix, status=status, post=post, organisation_id=organisation_id, member_id=member_id
    )
    rows, cursor = await paginate_by(session, statement, order, paging)
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/appointments/{appointment_id}",
    response_model=AppointmentDetail,
    tags=["聘任 / appointments"],
)
async def get_appointment(
    appointment_id: AppointmentId, session: Session, principal: Official, response: Response
) -> AppointmentDetail:
    appointment = await service.get_appointment(session, principal, appointment_id, history=True)
    response.headers["ETag"] = etag(appointment.version)
    return appointment_detail(appointment)


@router.patch(
    "/appointments/{appointment_id}",
    response_model=AppointmentRead,
    tags=["聘任 / appointments"],
    summary="修改合同与待遇 / change contract dates and pay",
)
async def update_appointment(
    appointment_id: AppointmentId,
    body: AppointmentUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> AppointmentRead:
    appointment = await service.update_appointment(
        session, runtime, principal, appointment_id, body, precondition
    )
    response.headers["ETag"] = etag(appointment.version)
    return appointment_read(appointment)


@router.post(
    "/appointments/{appointment_id}/transitions",
    response_model=AppointmentDetail,
    tags=["聘任 / appointments"],
    summary="变更聘任状态(在岗、暂停、解聘、辞职)/ change the appointment's status",
)
async def transition(
    appointment_id: AppointmentId,
    body: TransitionCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> JSONResponse:
    await service.transition(session, runtime, principal, appointment_id, body, precondition)
    appointment = await service.get_appointment(session, principal, appointment_id, history=True)
    reply = await idempotent.respond(appointment_detail(appointment), status_code=200)
    reply.headers["ETag"] = etag(appointment.version)
    return reply


# Regional allowance minimums


@router.put(
    "/allowance-minimums/{division_code}/{post_level}",
    response_model=AllowanceMinimumSaved,
    tags=["补贴标准 / allowance policy"],
    summary="设置地区最低补贴标准(就近上级适用)/ set a region's allowance minimum",
)
async def set_allowance_minimum(
    division_code: Annotated[KnownDivisionCode, Path(description="区划 / region")],
    post_level: Annotated[PostLevel, Path(description="岗位层级 / township or village")],
    body: AllowanceMinimumSet,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> AllowanceMinimumSaved:
    row, rechecked, changed = await service.set_allowance_minimum(
        session, runtime, principal, division_code, post_level, body, precondition
    )
    response.headers["ETag"] = etag(row.version)
    return AllowanceMinimumSaved(
        **allowance_read(row).model_dump(),
        appointments_rechecked=rechecked,
        compliance_changed=changed,
    )


@router.get(
    "/allowance-minimums/{division_code}/{post_level}",
    response_model=AllowanceMinimumRead,
    tags=["补贴标准 / allowance policy"],
    summary="本地区设定的最低补贴标准(ETag 供修改)/ the minimum set on a region, with its ETag",
)
async def get_allowance_minimum(
    division_code: Annotated[KnownDivisionCode, Path(description="区划 / region")],
    post_level: Annotated[PostLevel, Path(description="岗位层级 / township or village")],
    session: Session,
    principal: Official,
    response: Response,
) -> AllowanceMinimumRead:
    row = await service.get_allowance_minimum(session, principal, division_code, post_level)
    response.headers["ETag"] = etag(row.version)
    return allowance_read(row)


@router.get(
    "/allowance-minimums",
    response_model=Page[AllowanceMinimumRead],
    tags=["补贴标准 / allowance policy"],
)
async def list_allowance_minimums(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[AllowanceMinimumRead]:
    prefix = divisions.prefix(region_of(principal, region))
    rows, cursor = await paginate(
        session,
        repository.allowance_minimums_in(prefix),
        [AllowanceMinimum.division_code, AllowanceMinimum.post_level],
        paging,
    )
    return Page(items=[allowance_read(row) for row in rows], next_cursor=cursor)


# Questions officials ask about appointments


@router.get(
    "/reports/contracts-ending",
    response_model=Page[AppointmentRead],
    tags=["统计 / reports"],
    summary="合同将在N天内到期的人员 / contracts ending within N days",
)
async def contracts_ending(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    within_days: Annotated[int, Query(ge=0, le=3660, description="天数 / days")] = 60,
    as_of: AsOf = None,
    include_overdue: Annotated[
        bool, Query(description="含已到期仍在岗的 / also contracts already ended but still held")
    ] = False,
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(region_of(principal, region))
    first = as_of or today_in_china()
    statement = repository.contracts_ending(
        prefix, None if include_overdue else first, first + timedelta(days=within_days)
    )
    rows, cursor = await paginate(
        session, statement, [Appointment.contract_end, Appointment.id], paging
    )
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/allowance-non-compliance",
    response_model=Page[AppointmentRead],
    tags=["统计 / reports"],
    summary="在岗村专职委员误工补贴低于地区最低标准 / active village committee members paid "
    "below the regional minimum",
    description="与指标“村专职委员误工补贴达标率”同一规则 (canlian.common.rules.allowances):"
    "社区委员在公益性岗位、尚未在岗者不在此列 / the indicator's rule: community members on "
    "public-welfare posts and members not yet at work are not judged",
)
async def allowance_non_compliance(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(region_of(principal, region))
    rows, cursor = await paginate(
        session,
        repository.allowance_non_compliant(prefix),
        [Appointment.division_code, Appointment.id],
        paging,
    )
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)
