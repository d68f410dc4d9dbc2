"""Officials' reads of the register: the list, one volunteer (masked) and the audited
unmasked contact."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from canlian.common import audit, divisions
from canlian.common.concurrency import etag
from canlian.common.dependencies import Runtime
from canlian.common.events.volunteers import Skill, VolunteerStatus
from canlian.common.pagination import Page, Paging
from canlian.common.query_parameters import RegionOrDivision
from canlian.common.sorting import SortOrder, sorting
from canlian.volunteers.bodies import ID_PATTERN
from canlian.volunteers.dependencies import IdPath, Official, RequestContext
from canlian.volunteers.volunteers import repository, service
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.responses import volunteer_read, volunteer_summary
from canlian.volunteers.volunteers.schemas import VolunteerContact, VolunteerRead, VolunteerSummary

# As registered (default), by the date registered, by stars or by confirmed hours.
VOLUNTEER_ORDERS = sorting(
    {
        "id": [Volunteer.id],
        "registered_on": [Volunteer.registered_on, Volunteer.id],
        "star_level": [Volunteer.star_level, Volunteer.id],
        "confirmed_minutes": [Volunteer.confirmed_minutes, Volunteer.id],
    },
    default="id",
)
VolunteerOrder = Annotated[SortOrder, Depends(VOLUNTEER_ORDERS)]

router = APIRouter(prefix="/v1")


@router.get(
    "/volunteers",
    response_model=Page[VolunteerSummary],
    tags=["volunteers"],
    summary="志愿者名册 / volunteers registered in a region",
)
async def list_volunteers(
    context: RequestContext,
    principal: Official,
    paging: Paging,
    order: VolunteerOrder,
    division: RegionOrDivision = None,
    status: VolunteerStatus | None = VolunteerStatus.ACTIVE,
    skill: Annotated[Skill | None, Query(description="技能,如 sign_language 手语")] = None,
    team_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
    sign_language_trained: bool | None = None,
    min_star_level: Annotated[int | None, Query(ge=0, le=5)] = None,
) -> Page[VolunteerSummary]:
    region = division or principal.region
    principal.ensure_covers(region)
    rows, cursor = await repository.list_volunteers(
        context.session,
        paging,
        region_prefix=divisions.prefix(region),
        status=status,
        skill=skill,
        team_id=team_id,
        sign_language_trained=sign_language_trained,
        min_star_level=min_star_level,
        order=order,
    )
    return Page(items=[volunteer_summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/volunteers/{volunteer_id}",
    response_model=VolunteerRead,
    tags=["volunteers"],
    summary="志愿者详情(脱敏)/ a volunteer, masked",
)
async def get_volunteer(
    volunteer_id: IdPath, context: RequestContext, principal: Official, response: Response
) -> VolunteerRead:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id)
    response.headers["ETag"] = etag(volunteer.version)
    return volunteer_read(volunteer)


@router.get(
    "/volunteers/{volunteer_id}/contact",
    response_model=VolunteerContact,
    tags=["volunteers"],
    summary="未脱敏联系方式(审计)/ unmasked contact, audited",
    description="需要 personal-data:read 授权和 X-Access-Reason 理由 / needs the "
    "personal-data:read scope and an X-Access-Reason header",
)
async def volunteer_contact(
    volunteer_id: IdPath,
    context: RequestContext,
    runtime: Runtime,
    principal: Official,
    reason: audit.AccessReason = None,
) -> VolunteerContact:
    volunteer = await service.volunteer_in_scope(context, principal, volunteer_id)
    await audit.record_unmasked_read(
        context.session,
        runtime.tables,
        principal,
        object_type="volunteer",
        object_id=volunteer.id,
        reason=reason,
    )
    protector = context.personal_data
    return VolunteerContact(
        id=volunteer.id,
        name=protector.decrypt(volunteer.name_encrypted),
        phone=protector.decrypt(volunteer.phone_encrypted),
        citizen_id=protector.decrypt(volunteer.citizen_id_encrypted)
        if volunteer.citizen_id_encrypted
        else None,
    )
