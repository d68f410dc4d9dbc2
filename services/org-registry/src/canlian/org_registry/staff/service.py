"""Rules of federation staff: recorded at federations inside the caller's region, the name
encrypted; a change makes a new version and an event; grass-roots days are kept per year a
person was on the staff and judged by the region's minimum in force at that year's end."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.org_registry import (
    FederationStaffChanged,
    FederationStaffJoined,
    GrassrootsDaysRecorded,
    OrganisationKind,
)
from canlian.org_registry.context import Context
from canlian.org_registry.organisations.service import readable
from canlian.org_registry.policies.repository import registry_values
from canlian.org_registry.staff import repository, rules
from canlian.org_registry.staff.models import FederationStaff, GrassrootsDays
from canlian.org_registry.staff.problems import (
    LeftBeforeJoined,
    NotAFederation,
    StaffDisabilityInconsistent,
    StaffLeft,
    YearNotServed,
)
from canlian.org_registry.staff.schemas import GrassrootsDaysSet, StaffCreate, StaffUpdate


def snapshot(staff: FederationStaff) -> dict[str, Any]:
    """The staff member as events carry it: never the name."""
    return {
        "staff_id": str(staff.id),
        "version": staff.version,
        "organisation_id": staff.organisation_id,
        "division_code": staff.division_code,
        "employment": staff.employment,
        "is_disabled": staff.is_disabled,
        "on_executive_council": staff.on_executive_council,
        "joined_on": staff.joined_on,
        "left_on": staff.left_on,
    }


async def get_staff(
    session: AsyncSession, principal: Principal, staff_id: int, *, for_update: bool = False
) -> FederationStaff:
    found = await repository.staff_member(session, staff_id, for_update=for_update)
    if found is None:
        raise NotFound(what="工作人员 / staff member", key=staff_id)
    if not principal.covers(found.division_code):
        raise OutsideScope(what="工作人员 / staff member")
    return found


def _check_disability(is_disabled: bool, category: int | None) -> None:
    if category is not None and not is_disabled:
        raise StaffDisabilityInconsistent()


async def record_staff(
    session: AsyncSession, context: Context, body: StaffCreate
) -> FederationStaff:
    principal = context.principal
    organisation = await readable(session, principal, body.organisation_id)
    principal.ensure_covers(organisation.division_code)
    if organisation.kind != OrganisationKind.FEDERATION:
        raise NotAFederation(organisation_id=organisation.id)
    _check_disability(body.is_disabled, body.disability_category)
    now = utcnow()
    staff = FederationStaff(
        organisation_id=organisation.id,
        division_code=organisation.division_code,
        name_encrypted=context.personal_data.encrypt(body.name.strip()),
        employment=body.employment,
        is_disabled=body.is_disabled,
        disability_category=body.disability_category,
        on_executive_council=body.on_executive_council,
        joined_on=body.joined_on,
        left_on=None,
        version=1,
        created_at=now,
        updated_at=now,
        updated_by=principal.subject,
    )
    session.add(staff)
    await session.flush()
    await context.outbox.add(session, FederationStaffJoined(**snapshot(staff)))
    return staff


async def update_staff(
    session: AsyncSession,
    context: Context,
    staff_id: int,
    body: StaffUpdate,
    precondition: Precondition,
) -> FederationStaff:
    principal = context.principal
    staff = await get_staff(session, principal, staff_id, for_update=True)
    principal.ensure_covers(staff.division_code)
    precondition.check(staff.version)
    if staff.left_on is not None:
        raise StaffLeft(staff_id=staff.id, left_on=staff.left_on.isoformat())
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    if changes.get("is_disabled") is False:
        changes.setdefault("disability_category", None)
        staff.disability_category = None
    _check_disability(
        changes.get("is_disabled", staff.is_disabled),
        changes.get("disability_category", staff.disability_category),
    )
    left_on = changes.get("left_on")
    if left_on is not None and left_on < staff.joined_on:
        raise LeftBeforeJoined(left_on=left_on.isoformat(), joined_on=staff.joined_on.isoformat())
    for name, value in changes.items():
        setattr(staff, name, value)
    staff.version += 1
    staff.updated_at = utcnow()
    staff.updated_by = principal.subject
    await session.flush()
    await context.outbox.add(session, FederationStaffChanged(**snapshot(staff)))
    return staff


async def minimum_days(session: AsyncSession, division_code: str, year: int) -> int:
    """The region's minimum in force at the year's end (60 by the seed)."""
    values = await registry_values(session)
    return int(values.effective(policy.GRASSROOTS_DAYS_MINIMUM, division_code, date(year, 12, 31)))


async def set_grassroots_days(
    session: AsyncSession,
    context: Context,
    staff_id: int,
    year: int,
    body: GrassrootsDaysSet,
    precondition: Precondition,
) -> FederationStaff:
    principal = context.principal
    staff = await get_staff(session, principal, staff_id, for_update=True)
    principal.ensure_covers(staff.division_code)
    precondition.check(staff.version)
    if (
        year < staff.joined_on.year
        or year > context.today.year
        or (staff.left_on is not None and year > staff.left_on.year)
    ):
        raise YearNotServed(
            staff_id=staff.id,
            year=year,
            joined_on=staff.joined_on.isoformat(),
            left_on=staff.left_on.isoformat() if staff.left_on else "-",
        )
    row = await repository.days(session, staff.id, year)
    if row is None:
        row = GrassrootsDays(staff_id=staff.id, year=year)
        session.add(row)
    row.days = body.days
    row.recorded_by = principal.subject
    row.recorded_at = utcnow()
    staff.version += 1
    staff.updated_at = row.recorded_at
    staff.updated_by = principal.subject
    await session.flush()
    minimum = await minimum_days(session, staff.division_code, year)
    await context.outbox.add(
        session,
        GrassrootsDaysRecorded(
            staff_id=str(staff.id),
            version=staff.version,
            organisation_id=staff.organisation_id,
            division_code=staff.division_code,
            year=year,
            days=body.days,
            minimum_days=minimum,
            met=rules.grassroots_met(body.days, minimum),
        ),
    )
    return staff


async def composition(
    session: AsyncSession, principal: Principal, organisation_id: str, as_of: date
) -> tuple[str, rules.Composition, Any, int, list[tuple[int, int | None]]]:
    """(division, composition, minimum share, minimum days, council members below it)."""
    organisation = await readable(session, principal, organisation_id)
    if organisation.kind != OrganisationKind.FEDERATION:
        raise NotAFederation(organisation_id=organisation.id)
    staff = await repository.staff_of(session, organisation.id)
    values = await registry_values(session)
    share = values.effective(policy.DISABLED_CADRE_SHARE, organisation.division_code, as_of)
    facts = [
        rules.StaffFacts(item.employment, item.is_disabled, item.joined_on, item.left_on)
        for item in staff
    ]
    result = rules.composition(facts, as_of, share)
    days_minimum = await minimum_days(session, organisation.division_code, as_of.year)
    council = [
        item
        for item, fact in zip(staff, facts, strict=True)
        if item.on_executive_council and fact.in_post(as_of)
    ]
    recorded = await repository.days_of(session, [item.id for item in council])
    below: list[tuple[int, int | None]] = []
    for item in council:
        days = next((row.days for row in recorded.get(item.id, []) if row.year == as_of.year), None)
        if days is None or not rules.grassroots_met(days, days_minimum):
            below.append((item.id, days))
    return organisation.division_code, result, share, days_minimum, below
