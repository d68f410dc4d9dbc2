"""Rules of appointments: one holder per single-seat post, contracts that end after they start,
status changes along the state machine with their history, allowances checked against the
regional minimum. Every change is versioned and announced."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.business_day import back_dated
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import platform_tables, utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.members import (
    AppointmentChanged,
    AppointmentStatus,
    MemberAppointed,
    MemberLeft,
    PostLevel,
)
from canlian.common.messaging.outbox import Outbox
from canlian.common.policy import Parameter
from canlian.common.rules import full_time_chair
from canlian.common.runtime import ServiceRuntime
from canlian.members.appointments import repository
from canlian.members.appointments.allowances import AllowancePolicy, apply_compliance
from canlian.members.appointments.models import AllowanceMinimum, Appointment, StatusChange
from canlian.members.appointments.posts import post_level_of, seat_key, seat_keys
from canlian.members.appointments.problems import (
    AlreadyHoldsPost,
    AppointmentEnded,
    ContractEndsBeforeStart,
    EffectiveDateTooEarly,
    PostOccupied,
    PostRecordedInRegistry,
    SeatsFilled,
    TwoPostSchemes,
)
from canlian.members.appointments.schemas import (
    AllowanceMinimumSet,
    AppointmentCreate,
    AppointmentUpdate,
    TransitionCreate,
)
from canlian.members.appointments.state_machine import (
    HOLDING,
    LEFT,
    STATUS_NAMES,
    check_transition,
)
from canlian.members.archive import repository as archive_repository
from canlian.members.archive import service as archive
from canlian.members.archive.models import Member
from canlian.members.db import Base
from canlian.members.organisations import repository as organisations_repository
from canlian.members.organisations.models import Organisation
from canlian.members.organisations.service import usable_organisation
from canlian.members.policies import repository as policies_repository


def appointment_snapshot(
    appointment: Appointment, member: Member, served: Sequence[str]
) -> dict[str, Any]:
    """The appointment as events carry it, with the person's facts (never a name, citizen ID
    or phone) and the places its organisation serves (`served`, see `snapshots`)."""
    return {
        "appointment_id": str(appointment.id),
        "version": appointment.version,
        "member_id": str(member.id),
        "organisation_id": appointment.organisation_id,
        "division_code": appointment.division_code,
        "post_level": post_level_of(appointment.division_code),
        "post": appointment.post,
        "member_kind": member.kind,
        "member_disability_relation": member.disability_relation,
        "member_disability_category": member.disability_category,
        "status": appointment.status,
        "status_since": appointment.status_since,
        "holds_post": appointment.status in HOLDING,
        "selection_method": appointment.selection_method,
        "contract_start": appointment.contract_start,
        "contract_end": appointment.contract_end,
        "public_welfare_post": appointment.public_welfare_post,
        "social_work_post": appointment.social_work_post,
        "monthly_allowance_yuan": appointment.monthly_allowance_yuan,
        "social_insurance_subsidy": appointment.social_insurance_subsidy,
        "allowance_minimum_yuan": appointment.allowance_minimum_yuan,
        "allowance_compliant": appointment.allowance_compliant,
        "served_divisions": list(served),
    }


async def snapshots(
    session: AsyncSession, appointments: Sequence[tuple[Appointment, Member]]
) -> list[dict[str, Any]]:
    """Event snapshots of appointments, with the places each organisation serves looked up
    once for the batch."""
    served = await organisations_repository.places_served_by(
        session, [appointment.organisation_id for appointment, _ in appointments]
    )
    return [
        appointment_snapshot(appointment, member, served.get(appointment.organisation_id, []))
        for appointment, member in appointments
    ]


async def snapshot(
    session: AsyncSession, appointment: Appointment, member: Member
) -> dict[str, Any]:
    return (await snapshots(session, [(appointment, member)]))[0]


async def get_appointment(
    session: AsyncSession,
    principal: Principal,
    appointment_id: int,
    *,
    history: bool = False,
    for_update: bool = False,
) -> Appointment:
    appointment = (
        await repository.appointment_with_history(session, appointment_id)
        if history
        else await repository.appointment(session, appointment_id, for_update=for_update)
    )
    if appointment is None:
        raise NotFound(what="聘任 / appointment", key=appointment_id)
    if not principal.covers(appointment.division_code):
        raise OutsideScope(what="聘任 / appointment")
    return appointment


def check_post(post: str) -> None:
    """The registry owns the full-time chair (rules.full_time_chair): refused here."""
    if post == full_time_chair.ROLE:
        raise PostRecordedInRegistry(where=full_time_chair.RECORDED_AT)


def check_contract(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise ContractEndsBeforeStart(start=start.isoformat(), end=end.isoformat())


def check_post_scheme(public_welfare_post: bool, social_work_post: bool) -> None:
    if public_welfare_post and social_work_post:
        raise TwoPostSchemes()


async def appoint(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    member_id: int,
    body: AppointmentCreate,
    *,
    recruitment_round_id: int | None = None,
) -> Appointment:
    """`recruitment_round_id`: the round whose selection this is (recruitment calls with it)."""
    check_post(body.post)
    member = await archive.get_member(session, principal, member_id)
    principal.ensure_covers(member.division_code)
    organisation = await usable_organisation(session, body.organisation_id)
    principal.ensure_covers(organisation.division_code)
    check_contract(body.contract_start, body.contract_end)
    check_post_scheme(body.public_welfare_post, body.social_work_post)
    existing = await repository.holding_at(
        session, member.id, organisation.organisation_id, body.post
    )
    if existing is not None:
        raise AlreadyHoldsPost(
            organisation_id=organisation.organisation_id, appointment_id=existing.id
        )
    seat = await free_seat(session, organisation, body.post, body.contract_start)
    policy = await AllowancePolicy.load(session)
    appointment = new_appointment(principal, member, organisation, body, policy, seat=seat)
    appointment.recruitment_round_id = recruitment_round_id
    session.add(appointment)
    await session.flush()
    await runtime.outbox.add(
        session,
        MemberAppointed(
            **await snapshot(session, appointment, member),
            # The appointment counts from its start, when that lies before today.
            effective_on=back_dated(appointment.status_since),
        ),
    )
    return appointment


async def free_seat(
    session: AsyncSession, organisation: Organisation, post: str, on: date
) -> str | None:
    """The key of the lowest free seat of the post (None: the post has no seat limit). All
    taken -> 409 naming the policy that sets the seats; the unique index on the key settles
    two requests racing for the last one."""
    values = await policies_repository.members_values(session)
    keys, count, parameter = seat_keys(
        organisation.organisation_id, organisation.division_code, post, on, values
    )
    if not keys:
        return None
    taken = await repository.seats_taken(session, keys)
    for key in keys:
        if key not in taken:
            return key
    if count == 1:
        holder = await repository.seat_holder(session, keys[0])
        raise PostOccupied(
            organisation_id=organisation.organisation_id, holder=holder.id if holder else None
        )
    raise seats_filled(organisation.organisation_id, count, parameter)


def seats_filled(organisation_id: str, count: int, parameter: Parameter | None) -> SeatsFilled:
    assert parameter is not None  # several seats come only from a policy parameter
    return SeatsFilled(
        organisation_id=organisation_id,
        policy=parameter.name,
        policy_title=parameter.title_zh,
        seats=count,
    )


def new_appointment(
    principal: Principal,
    member: Member,
    organisation: Organisation,
    body: AppointmentCreate,
    policy: AllowancePolicy,
    *,
    seat: str | None = None,
) -> Appointment:
    """A new appointment with its first status change, its allowance judged by `policy`; it
    takes `seat` (by default the post's first seat)."""
    now = utcnow()
    appointment = Appointment(
        member=member,
        organisation_id=organisation.organisation_id,
        division_code=organisation.division_code,
        post=body.post,
        selection_method=body.selection_method,
        contract_start=body.contract_start,
        contract_end=body.contract_end,
        public_welfare_post=body.public_welfare_post,
        social_work_post=body.social_work_post,
        monthly_allowance_yuan=body.monthly_allowance_yuan,
        social_insurance_subsidy=body.social_insurance_subsidy,
        status=body.status,
        status_since=body.contract_start,
        seat_key=seat if seat is not None else seat_key(organisation.organisation_id, body.post),
        version=1,
        created_at=now,
        updated_at=now,
        updated_by=principal.subject,
        history=[
            StatusChange(
                from_status=None,
                to_status=body.status,
                effective_on=body.contract_start,
                reason=body.reason,
                recorded_by=principal.subject,
                recorded_at=now,
            )
        ],
    )
    apply_compliance(appointment, policy)
    return appointment


def _ensure_not_ended(appointment: Appointment) -> None:
    if appointment.status in LEFT:
        raise AppointmentEnded(
            since=appointment.status_since.isoformat(),
            status=appointment.status,
            status_zh=STATUS_NAMES[AppointmentStatus(appointment.status)],
        )


async def update_appointment(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    appointment_id: int,
    body: AppointmentUpdate,
    precondition: Precondition,
) -> Appointment:
    appointment = await get_appointment(session, principal, appointment_id, for_update=True)
    principal.ensure_covers(appointment.division_code)
    precondition.check(appointment.version)
    _ensure_not_ended(appointment)
    # Only contract_end may be cleared (an open-ended contract); a null elsewhere means "keep".
    changes = {
        name: value
        for name, value in body.model_dump(exclude_unset=True).items()
        if value is not None or name == "contract_end"
    }
    start = changes.get("contract_start", appointment.contract_start)
    end = changes.get("contract_end", appointment.contract_end)
    check_contract(start, end)
    check_post_scheme(
        changes.get("public_welfare_post", appointment.public_welfare_post),
        changes.get("social_work_post", appointment.social_work_post),
    )
    for name, value in changes.items():
        setattr(appointment, name, value)
    apply_compliance(appointment, await AllowancePolicy.load(session))
    return await _changed(session, runtime, appointment, principal.subject)


async def _changed(
    session: AsyncSession,
    runtime: ServiceRuntime,
    appointment: Appointment,
    actor: str,
    effective_on: date | None = None,
) -> Appointment:
    appointment.version += 1
    appointment.updated_at = utcnow()
    appointment.updated_by = actor
    await session.flush()
    member = await archive_repository.member(session, appointment.member_id)
    assert member is not None
    event_type = MemberLeft if appointment.status in LEFT else AppointmentChanged
    await runtime.outbox.add(
        session,
        event_type(
            **await snapshot(session, appointment, member), effective_on=back_dated(effective_on)
        ),
    )
    return appointment


async def transition(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    appointment_id: int,
    body: TransitionCreate,
    precondition: Precondition,
) -> Appointment:
    appointment = await get_appointment(session, principal, appointment_id, for_update=True)
    principal.ensure_covers(appointment.division_code)
    precondition.check(appointment.version)
    current = AppointmentStatus(appointment.status)
    check_transition(current, body.status)
    if body.effective_on < appointment.status_since:
        raise EffectiveDateTooEarly(since=appointment.status_since.isoformat())
    session.add(
        StatusChange(
            appointment_id=appointment.id,
            from_status=current,
            to_status=body.status,
            effective_on=body.effective_on,
            reason=body.reason,
            recorded_by=principal.subject,
            recorded_at=utcnow(),
        )
    )
    appointment.status = body.status
    appointment.status_since = body.effective_on
    if body.status in LEFT:
        appointment.seat_key = None  # the post is free again (能进能出)
    # A status change dated back counts from its own date.
    return await _changed(session, runtime, appointment, principal.subject, body.effective_on)


async def get_allowance_minimum(
    session: AsyncSession, principal: Principal, division_code: str, post_level: PostLevel
) -> AllowanceMinimum:
    """A region's own minimum (not the nearest ancestor's): what a PUT replaces."""
    principal.ensure_covers(division_code)
    row = await repository.allowance_minimum(session, division_code, post_level)
    if row is None:
        raise NotFound(what="补贴标准 / allowance minimum", key=f"{division_code}/{post_level}")
    return row


async def set_allowance_minimum(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    division_code: str,
    post_level: PostLevel,
    body: AllowanceMinimumSet,
    precondition: Precondition,
) -> tuple[AllowanceMinimum, int, int]:
    """Save a region's minimum and re-check every committee member it now governs; each
    appointment whose minimum or compliance changes gets a new version and an event. A new
    minimum needs no If-Match; replacing one names its version."""
    principal.ensure_covers(division_code)
    row = await repository.allowance_minimum(session, division_code, post_level, lock=True)
    precondition.check_if_present(row.version if row is not None else None)
    if row is None:
        row = AllowanceMinimum(division_code=division_code, post_level=post_level, version=1)
        session.add(row)
    else:
        row.version += 1
    row.monthly_minimum_yuan = body.monthly_minimum_yuan
    row.basis = body.basis
    row.updated_by = principal.subject
    row.updated_at = utcnow()
    await session.flush()
    rechecked, changed = await recheck_compliance(
        session,
        runtime,
        division_code,
        await AllowancePolicy.load(session),
        principal.subject,
        post_level,
    )
    return row, rechecked, changed


async def recheck_compliance(
    session: AsyncSession,
    runtime: ServiceRuntime,
    division_code: str,
    policy: AllowancePolicy,
    actor: str,
    post_level: PostLevel | None = None,
) -> tuple[int, int]:
    """Judge every committee member held under the region (at `post_level`, or any) by the
    policy again; each appointment whose minimum or compliance changes gets a new version
    and an event. (appointments re-checked, appointments changed)."""
    rechecked = changed = 0
    now = utcnow()
    for appointment in await repository.committee_appointments_under(
        session, divisions.prefix(division_code)
    ):
        if post_level is not None and post_level_of(appointment.division_code) != post_level:
            continue
        rechecked += 1
        before = (appointment.allowance_minimum_yuan, appointment.allowance_compliant)
        apply_compliance(appointment, policy)
        if (appointment.allowance_minimum_yuan, appointment.allowance_compliant) != before:
            changed += 1
            appointment.version += 1
            appointment.updated_at = now
            appointment.updated_by = actor
            await runtime.outbox.add(
                session,
                AppointmentChanged(**await snapshot(session, appointment, appointment.member)),
            )
    await session.flush()
    return rechecked, changed


async def republish_held_appointments(
    session: AsyncSession, runtime: ServiceRuntime, member: Member, actor: str
) -> None:
    """A profile change: appointment snapshots carry the person's disability facts, so every
    post the person holds gets a new version and an event."""
    for appointment in await repository.holding_appointments_of(session, member.id):
        appointment.version += 1
        appointment.updated_at = member.updated_at
        appointment.updated_by = actor
        await runtime.outbox.add(
            session, AppointmentChanged(**await snapshot(session, appointment, member))
        )


# The registry's consumer has no request runtime; it writes to the same outbox table directly.
_CONSUMER_OUTBOX = Outbox(platform_tables(Base.metadata), source="/canlian/members")


async def follow_division_change(
    session: AsyncSession, organisation_id: str, division_code: str
) -> None:
    """村级建制调整: when an organisation moves to another division (merge, split), the posts
    it holds move with it, so region counts, minimums and scope follow."""
    policy = await AllowancePolicy.load(session)
    for appointment in await repository.holding_appointments_at(session, organisation_id):
        appointment.division_code = division_code
        apply_compliance(appointment, policy)
        appointment.version += 1
        appointment.updated_at = utcnow()
        appointment.updated_by = "org-registry"  # 村级建制调整 announced by the registry
        await _CONSUMER_OUTBOX.add(
            session, AppointmentChanged(**await snapshot(session, appointment, appointment.member))
        )
    await session.flush()


async def follow_coverage_change(session: AsyncSession, organisation_id: str) -> None:
    """A (joint) association now covers other villages: its posts staff those instead
    (canlian.common.rules.staffing), so each held post is announced again."""
    for appointment in await repository.holding_appointments_at(session, organisation_id):
        appointment.version += 1
        appointment.updated_at = utcnow()
        appointment.updated_by = "org-registry"  # coverage changed in the registry
        await _CONSUMER_OUTBOX.add(
            session, AppointmentChanged(**await snapshot(session, appointment, appointment.member))
        )
    await session.flush()
