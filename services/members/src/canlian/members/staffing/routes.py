"""HTTP routes of the staffing questions officials ask."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.dependencies import Session
from canlian.common.events.members import PostLevel
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.responses import appointment_read
from canlian.members.appointments.schemas import AppointmentRead
from canlian.members.clock import today_in_china
from canlian.members.policies import repository as policies_repository
from canlian.members.staffing import repository, service
from canlian.members.staffing.schemas import PlaceSeatsRead, TownshipSummary, VacancyRead

router = APIRouter(prefix="/v1", tags=["统计 / reports"])


async def _excluded(session: AsyncSession, prefix: str) -> list[str]:
    """The places under `prefix` the regions' policy leaves out today (rules.denominators)."""
    return service.excluded_places(
        await repository.governed_places(session, prefix),
        today_in_china(),
        await policies_repository.denominator_values(session),
    )


@router.get(
    "/reports/vacancies",
    response_model=Page[VacancyRead],
    summary="未配备在岗专职委员的乡镇和村 / townships and villages without an active member",
)
async def vacancies(
    session: Session,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    level: Annotated[
        PostLevel | None, Query(description="只看乡镇或村 / only townships or villages")
    ] = None,
) -> Page[VacancyRead]:
    prefix = divisions.prefix(region_of(principal, region))
    levels = {PostLevel.TOWNSHIP: 4, PostLevel.VILLAGE: 5}
    excluded = await _excluded(session, prefix)
    statement = repository.vacancies(prefix, levels[level] if level else None, excluded)
    columns = statement.selected_columns
    rows, cursor = await paginate(
        session, statement, [columns.division_code, columns.organisation_id], paging
    )
    return Page(
        items=[
            VacancyRead(
                division_code=row.division_code,
                level=PostLevel.TOWNSHIP if row.level == 4 else PostLevel.VILLAGE,
                organisation_id=row.organisation_id,
                organisation_name=row.name,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


@router.get(
    "/reports/posts-at-dissolved-organisations",
    response_model=Page[AppointmentRead],
    summary="组织已撤销但仍在岗的聘任(需转聘或办理离岗)/ posts held at dissolved organisations",
)
async def posts_at_dissolved_organisations(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[AppointmentRead]:
    prefix = divisions.prefix(region_of(principal, region))
    rows, cursor = await paginate(
        session, repository.held_at_dissolved(prefix), [Appointment.id], paging
    )
    return Page(items=[appointment_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/by-township",
    response_model=Items[TownshipSummary],
    summary="按乡镇汇总:配备、缺配、补贴达标 / per township: staffing, vacancies, allowances",
)
async def by_township(
    session: Session, principal: Official, region: RegionQuery = None
) -> Items[TownshipSummary]:
    scope = region_of(principal, region)
    service.check_summary_region(scope)
    prefix = divisions.prefix(scope)
    places = await repository.township_place_counts(
        session, prefix, await _excluded(session, prefix)
    )
    appointments = await repository.township_appointment_counts(session, prefix)
    seats: dict[str, tuple[int, int]] = {}
    for place in service.seats_of_places(
        await repository.active_members_by_place(session, prefix),
        today_in_china(),
        await policies_repository.members_values(session),
    ):
        held, vacant_seats = seats.get(place.division_code[:9], (0, 0))
        seats[place.division_code[:9]] = (held + place.seats, vacant_seats + place.vacant)
    summaries = []
    for code in sorted(set(places) | set(appointments)):
        total, vacant = places.get(code, (0, 0))
        active, non_compliant, welfare, social_work = appointments.get(code, (0, 0, 0, 0))
        seat_total, seats_vacant = seats.get(code, (0, 0))
        summaries.append(
            TownshipSummary(
                township_code=code.ljust(12, "0"),
                places=total,
                vacancies=vacant,
                active_committee_members=active,
                allowance_non_compliant=non_compliant,
                public_welfare_posts=welfare,
                social_work_posts=social_work,
                seats=seat_total,
                vacant_seats=seats_vacant,
            )
        )
    return Items(items=summaries)


@router.get(
    "/reports/seats",
    response_model=Items[PlaceSeatsRead],
    summary="各乡镇(街道)和村的专职委员名额与空缺 / committee-member seats and vacancies by place",
    description="名额按地区政策参数(每乡、每村各1名,街道3—5名)/ seats as the region's policy "
    "sets them (one per township and village, 3-5 per street office)",
)
async def seats(
    session: Session, principal: Official, region: RegionQuery = None
) -> Items[PlaceSeatsRead]:
    scope = region_of(principal, region)
    service.check_summary_region(scope)
    places = service.seats_of_places(
        await repository.active_members_by_place(session, divisions.prefix(scope)),
        today_in_china(),
        await policies_repository.members_values(session),
    )
    return Items(
        items=[
            PlaceSeatsRead(
                division_code=place.division_code,
                seats=place.seats,
                policy=place.policy,
                active_committee_members=place.active,
                vacant_seats=place.vacant,
            )
            for place in places
        ]
    )
