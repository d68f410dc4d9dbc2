"""Household files: registered within the caller's region in a village, members added,
services recorded per member; every change recomputes the flags and the visit schedule and
announces the household's snapshot (no name, no address)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from canlian.common import divisions
from canlian.common.business_day import china_today
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.needs import (
    DifficultyFlag,
    HouseholdChanged,
    HouseholdRegistered,
    ServiceCounts,
    ServiceKind,
)
from canlian.needs.context import Context
from canlian.needs.db import new_id
from canlian.needs.households import repository, schedule
from canlian.needs.households.models import Household, HouseholdMember, MemberService
from canlian.needs.households.problems import (
    HouseholdNotInVillage,
    PersonAlreadyInHousehold,
    PersonIdOnlyForDisabled,
    ServiceEndsBeforeItStarts,
    UnknownHouseholdMember,
)
from canlian.needs.households.schemas import (
    HouseholdChange,
    HouseholdCreate,
    MemberInput,
    ServiceStatus,
    ServiceStatusInput,
)


async def household_in_scope(
    context: Context, household_id: str, *, for_update: bool = False
) -> Household:
    """The household, if it lies within the caller's region (else it looks absent)."""
    household = await repository.get(context.session, household_id, for_update=for_update)
    if household is None or not context.principal.covers(household.division_code):
        raise OutsideScope(what="家庭档案")
    return household


def _member(
    context: Context, household_id: str, position: int, item: MemberInput
) -> HouseholdMember:
    if item.person_id is not None and not item.disabled:
        raise PersonIdOnlyForDisabled()
    return HouseholdMember(
        id=new_id(),
        household_id=household_id,
        position=position,
        name_ciphertext=context.personal_data.encrypt(item.name),
        relation=item.relation.value,
        disabled=item.disabled,
        elderly=item.elderly,
        person_id=item.person_id,
    )


async def _reschedule(
    context: Context, household: Household, members: list[HouseholdMember], on: date
) -> None:
    disabled = sum(member.disabled for member in members)
    elderly_disabled = disabled > 0 and any(member.elderly for member in members)
    flags = schedule.effective_flags(
        (DifficultyFlag(flag) for flag in household.declared_flags), disabled, elderly_disabled
    )
    household.flags = [flag.value for flag in flags]
    household.visit_interval_days = await schedule.interval_days(
        context.session, flags, household.division_code, on
    )
    household.next_visit_due = schedule.next_due(
        household.visit_interval_days, household.registered_on, household.last_visited_on
    )


def snapshot(
    household: Household, members: list[HouseholdMember], services: list[MemberService]
) -> dict[str, Any]:
    """The household's state as its events carry it (no name, no address)."""
    disabled = {member.id for member in members if member.disabled}
    receiving: Counter[ServiceKind] = Counter()
    needed: Counter[ServiceKind] = Counter()
    for service in services:
        if service.member_id not in disabled:
            continue
        if service.status == ServiceStatus.RECEIVING.value:
            receiving[ServiceKind(service.kind)] += 1
        elif service.status == ServiceStatus.NEEDED.value:
            needed[ServiceKind(service.kind)] += 1
    return {
        "household_id": household.id,
        "version": household.version,
        "division_code": household.division_code,
        "flags": [DifficultyFlag(flag) for flag in household.flags],
        "members": len(members),
        "disabled_person_ids": sorted(m.person_id for m in members if m.person_id),
        "visit_interval_days": household.visit_interval_days,
        "next_visit_due": household.next_visit_due,
        "last_visited_on": household.last_visited_on,
        "services": [
            ServiceCounts(kind=kind, receiving=receiving[kind], needed=needed[kind])
            for kind in ServiceKind
            if receiving[kind] or needed[kind]
        ],
    }


async def announce(context: Context, household: Household, *, registered: bool = False) -> None:
    members = await repository.members_of(context.session, household.id)
    services = await repository.services_of(context.session, [member.id for member in members])
    event_type = HouseholdRegistered if registered else HouseholdChanged
    await context.outbox.add(context.session, event_type(**snapshot(household, members, services)))


def _distinct_persons(items: list[MemberInput]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.person_id is None:
            continue
        if item.person_id in seen:
            raise PersonAlreadyInHousehold(person_id=item.person_id)
        seen.add(item.person_id)


async def register(context: Context, body: HouseholdCreate) -> Household:
    context.principal.ensure_covers(body.division_code)
    if divisions.level_of(body.division_code) != divisions.DivisionLevel.VILLAGE:
        raise HouseholdNotInVillage(division_code=body.division_code)
    _distinct_persons(body.members)
    now = utcnow()
    household = Household(
        id=new_id(),
        division_code=body.division_code,
        address_ciphertext=context.personal_data.encrypt(body.address),
        declared_flags=sorted({flag.value for flag in body.flags}),
        flags=[],
        visit_interval_days=None,
        registered_on=china_today(),
        last_visited_on=None,
        next_visit_due=None,
        created_by=context.principal.subject,
        created_at=now,
        updated_at=now,
        version=1,
    )
    context.session.add(household)
    members = [_member(context, household.id, i, item) for i, item in enumerate(body.members)]
    context.session.add_all(members)
    await _reschedule(context, household, members, china_today())
    await context.session.flush()
    await announce(context, household, registered=True)
    return household


async def _changed(context: Context, household: Household) -> None:
    members = await repository.members_of(context.session, household.id)
    await _reschedule(context, household, members, china_today())
    household.version += 1
    household.updated_at = utcnow()
    await context.session.flush()
    await announce(context, household)


async def change(
    context: Context, household_id: str, body: HouseholdChange, precondition: Precondition
) -> Household:
    household = await household_in_scope(context, household_id, for_update=True)
    precondition.check(household.version)
    if body.address is not None:
        household.address_ciphertext = context.personal_data.encrypt(body.address)
    if body.flags is not None:
        household.declared_flags = sorted({flag.value for flag in body.flags})
    await _changed(context, household)
    return household


async def add_member(
    context: Context, household_id: str, body: MemberInput, precondition: Precondition
) -> Household:
    household = await household_in_scope(context, household_id, for_update=True)
    precondition.check(household.version)
    members = await repository.members_of(context.session, household.id)
    if body.person_id is not None and any(m.person_id == body.person_id for m in members):
        raise PersonAlreadyInHousehold(person_id=body.person_id)
    context.session.add(_member(context, household.id, len(members), body))
    await context.session.flush()
    await _changed(context, household)
    return household


async def set_service(
    context: Context,
    household_id: str,
    member_id: str,
    kind: ServiceKind,
    body: ServiceStatusInput,
    precondition: Precondition,
) -> Household:
    household = await household_in_scope(context, household_id, for_update=True)
    precondition.check(household.version)
    members = await repository.members_of(context.session, household.id)
    if not any(member.id == member_id for member in members):
        raise UnknownHouseholdMember(member_id=member_id)
    if body.until is not None and body.until < body.since:
        raise ServiceEndsBeforeItStarts(since=body.since, until=body.until)
    row = await repository.service(context.session, member_id, kind.value)
    if row is None:
        row = MemberService(member_id=member_id, kind=kind.value)
        context.session.add(row)
    row.status = body.status.value
    row.since = body.since
    row.until = body.until
    row.source = body.source
    row.updated_at = utcnow()
    await _changed(context, household)
    return household


async def record_visit(context: Context, household: Household, visited_on: date) -> date | None:
    """A visit moves the schedule on; returns when the visit was due (None: none was)."""
    due = household.next_visit_due
    if household.last_visited_on is None or visited_on > household.last_visited_on:
        household.last_visited_on = visited_on
    await _changed(context, household)
    return due
