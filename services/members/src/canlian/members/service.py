"""Domain rules of the members service; raises domain errors and writes outbox events."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import citizen_id, divisions
from canlian.common.auth import Principal
from canlian.common.db.metadata import platform_tables, utcnow
from canlian.common.errors import Conflict, InvalidInput, NotFound, OutsideScope, ProblemError
from canlian.common.events.base import CloudEvent
from canlian.common.events.members import (
    AppointmentChanged,
    AppointmentStatus,
    DisabilityRelation,
    MemberAppointed,
    MemberAssessed,
    MemberChanged,
    MemberLeft,
    MemberRegistered,
    MemberTrained,
    Post,
    PostLevel,
)
from canlian.common.events.org_registry import OrganisationSnapshot, OrganisationStatus
from canlian.common.i18n import Message
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import PersonalDataProtector, mask_citizen_id, mask_name
from canlian.common.personal_data import mask_phone as _mask_phone
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import (
    Column,
    ImportReport,
    RowError,
    errors_from_validation,
    read_table,
)
from canlian.members import repository
from canlian.members.models import (
    AllowanceMinimum,
    Appointment,
    Assessment,
    Base,
    Member,
    Organisation,
    StatusChange,
    Training,
)
from canlian.members.schemas import (
    AllowanceMinimumSet,
    AppointmentCreate,
    AppointmentUpdate,
    AssessmentCreate,
    MemberCreate,
    MemberUpdate,
    PlanPeriod,
    RosterRow,
    TrainingCreate,
    TransitionCreate,
)

CHINA_TIME = timezone(timedelta(hours=8))

# Posts one person holds at a time per organisation (每乡、每村各1名; one chair).
SINGLE_SEAT_POSTS = frozenset({Post.COMMITTEE_MEMBER, Post.FULL_TIME_CHAIR, Post.CHAIR})
HOLDING = frozenset(repository.HOLDING)
LEFT = frozenset({AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED})
TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    AppointmentStatus.APPOINTED: frozenset(
        {AppointmentStatus.ACTIVE, AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED}
    ),
    AppointmentStatus.ACTIVE: frozenset(
        {AppointmentStatus.SUSPENDED, AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED}
    ),
    AppointmentStatus.SUSPENDED: frozenset(
        {AppointmentStatus.ACTIVE, AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED}
    ),
    AppointmentStatus.DISMISSED: frozenset(),
    AppointmentStatus.RESIGNED: frozenset(),
}
STATUS_NAMES = {
    AppointmentStatus.APPOINTED: "已聘任",
    AppointmentStatus.ACTIVE: "在岗",
    AppointmentStatus.SUSPENDED: "暂停",
    AppointmentStatus.DISMISSED: "解聘",
    AppointmentStatus.RESIGNED: "辞职",
}


def today_in_china() -> date:
    return datetime.now(CHINA_TIME).date()


# Errors. `field` names the input a problem is about, for the import's row report.


class MembersInputError(InvalidInput):
    field: ClassVar[str] = "-"


class DisabilityCategoryRequired(MembersInputError):
    code = "disability-category-required"
    field = "disability_category"
    title = Message(zh="缺少残疾类别", en="Disability category missing")
    detail = Message(
        zh="本人为残疾人时须填写残疾类别(1–7)", en="A disabled person needs a category (1-7)"
    )


class DisabilityCategoryNotApplicable(MembersInputError):
    code = "disability-category-not-applicable"
    field = "disability_category"
    title = Message(zh="残疾类别不适用", en="Disability category does not apply")
    detail = Message(
        zh="只有本人为残疾人时才填写残疾类别和等级",
        en="Category and grade are only for a person who is disabled",
    )


class AlreadyInArchive(Conflict):
    code = "already-in-archive"
    title = Message(zh="此人已在档案中", en="Already in the archive")
    detail = Message(
        zh="该公民身份号码已登记,档案编号 {member_id};请在该档案上添加聘任",
        en="This citizen ID is already registered as archive {member_id}; add the "
        "appointment to it",
    )

    def extensions(self) -> dict[str, Any]:
        return {"member_id": self.params["member_id"]}


class UnknownOrganisation(MembersInputError):
    code = "unknown-organisation"
    field = "organisation_id"
    title = Message(zh="组织不存在", en="Unknown organisation")
    detail = Message(
        zh="组织登记中没有编号为 {organisation_id} 的组织;请核对编号,或先在组织登记中登记",
        en="The organisation registry has no organisation {organisation_id}; check the id or "
        "register it first",
    )


class OrganisationDissolved(MembersInputError):
    code = "organisation-dissolved"
    field = "organisation_id"
    title = Message(zh="组织已撤销", en="Organisation dissolved")
    detail = Message(
        zh="组织 {organisation_id} 已撤销,不能再聘任;请聘任到接续的组织",
        en="Organisation {organisation_id} is dissolved; appoint to its successor",
    )


class ContractEndsBeforeStart(MembersInputError):
    code = "contract-ends-before-start"
    field = "contract_end"
    title = Message(zh="合同日期有误", en="Contract dates are wrong")
    detail = Message(
        zh="合同结束日期 {end} 早于开始日期 {start}",
        en="The contract ends ({end}) before it starts ({start})",
    )


class PostOccupied(Conflict):
    code = "post-occupied"
    title = Message(zh="岗位已有人员", en="The post is taken")
    detail = Message(
        zh="组织 {organisation_id} 的该岗位只设1人,已由聘任 {holder} 占用;请先办理其离岗",
        en="This post of organisation {organisation_id} has one seat, held by appointment "
        "{holder}; end that appointment first",
    )

    def extensions(self) -> dict[str, Any]:
        return {"holder_appointment_id": self.params["holder"]}


class AlreadyHoldsPost(Conflict):
    code = "already-holds-post"
    title = Message(zh="已在该岗位", en="Already holds this post")
    detail = Message(
        zh="此人已在组织 {organisation_id} 担任该岗位(聘任 {appointment_id})",
        en="This person already holds the post at {organisation_id} (appointment {appointment_id})",
    )


class TransitionNotAllowed(Conflict):
    code = "transition-not-allowed"
    title = Message(zh="状态变更不允许", en="Status change not allowed")
    detail = Message(
        zh="聘任状态不能从“{current_zh}”变为“{target_zh}”;允许:{allowed_zh}",
        en="An appointment cannot go from {current} to {target}; allowed: {allowed}",
    )


class EffectiveDateTooEarly(MembersInputError):
    code = "effective-date-too-early"
    field = "effective_on"
    title = Message(zh="生效日期有误", en="Effective date is wrong")
    detail = Message(
        zh="生效日期不能早于当前状态开始日期 {since}", en="The date cannot be before {since}"
    )


class AppointmentEnded(Conflict):
    code = "appointment-ended"
    title = Message(zh="聘任已结束", en="The appointment has ended")
    detail = Message(
        zh="聘任已于 {since} 结束({status_zh}),不能再修改;重新聘任请新建聘任",
        en="The appointment ended on {since} ({status}); create a new appointment instead",
    )


class AssessmentExists(Conflict):
    code = "assessment-exists"
    title = Message(zh="该年度已考核", en="Already assessed for the year")
    detail = Message(
        zh="聘任 {appointment_id} 的 {year} 年度考核已录入(编号 {assessment_id})",
        en="Appointment {appointment_id} already has its {year} assessment ({assessment_id})",
    )


class TrainingInFuture(MembersInputError):
    code = "training-in-future"
    field = "held_on"
    title = Message(zh="培训日期有误", en="Training date is wrong")
    detail = Message(
        zh="培训日期 {held_on} 晚于今天;请在培训结束后录入",
        en="The training date {held_on} is in the future; record it once held",
    )


class RegionTooWide(InvalidInput):
    code = "region-too-wide"
    title = Message(zh="区域范围过大", en="Region too wide")
    detail = Message(
        zh="按乡镇汇总请选择市或县级区划(当前 {region})",
        en="Summaries by township need a city or county (got {region})",
    )


# Plan periods: 十二五 2011–2015, 十三五 2016–2020, ... five years each from 2011.

_NUMERALS = ["十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"]


def plan_period(on: date) -> PlanPeriod:
    index = max(0, (on.year - 2011) // 5)
    start = 2011 + index * 5
    name = f"{_NUMERALS[index]}五" if index < len(_NUMERALS) else f"{start}–{start + 4}"
    return PlanPeriod(name=name, start=date(start, 1, 1), end=date(start + 4, 12, 31))


def post_level_of(division_code: str) -> PostLevel | None:
    level = divisions.level_of(division_code)
    if level == divisions.DivisionLevel.TOWNSHIP:
        return PostLevel.TOWNSHIP
    if level == divisions.DivisionLevel.VILLAGE:
        return PostLevel.VILLAGE
    return None


# Allowance policy: nearest ancestor's minimum applies.


@dataclass(frozen=True)
class AllowancePolicy:
    minimums: dict[tuple[str, str], Decimal]

    @classmethod
    async def load(cls, session: AsyncSession) -> AllowancePolicy:
        rows = await repository.all_allowance_minimums(session)
        return cls({(row.division_code, row.post_level): row.monthly_minimum_yuan for row in rows})

    def minimum_for(self, division_code: str, post: str) -> tuple[Decimal | None, str | None]:
        """The minimum and the region that set it, for a committee-member post."""
        level = post_level_of(division_code)
        if post != Post.COMMITTEE_MEMBER or level is None:
            return None, None
        for code in divisions.lineage(division_code):
            found = self.minimums.get((code, level))
            if found is not None:
                return found, code
        return None, None


def _apply_compliance(appointment: Appointment, policy: AllowancePolicy) -> None:
    minimum, _ = policy.minimum_for(appointment.division_code, appointment.post)
    appointment.allowance_minimum_yuan = minimum
    appointment.allowance_compliant = (
        None if minimum is None else appointment.monthly_allowance_yuan >= minimum
    )


# Snapshots for events (never a name, citizen ID or phone).


def member_snapshot(member: Member) -> dict[str, Any]:
    return {
        "member_id": str(member.id),
        "version": member.version,
        "division_code": member.division_code,
        "kind": member.kind,
        "disability_relation": member.disability_relation,
        "disability_category": member.disability_category,
        "in_talent_pool": member.in_talent_pool,
        "reserve_cadre": member.reserve_cadre,
    }


def appointment_snapshot(appointment: Appointment, member: Member) -> dict[str, Any]:
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
        "monthly_allowance_yuan": appointment.monthly_allowance_yuan,
        "social_insurance_subsidy": appointment.social_insurance_subsidy,
        "allowance_minimum_yuan": appointment.allowance_minimum_yuan,
        "allowance_compliant": appointment.allowance_compliant,
    }


# Scope helpers


def _visible(principal: Principal, code: str, what: str) -> None:
    if not principal.covers(code):
        raise OutsideScope(what=what)


async def get_member(session: AsyncSession, principal: Principal, member_id: int) -> Member:
    member = await repository.member(session, member_id)
    if member is None:
        raise NotFound(what="档案 / archive entry", key=member_id)
    _visible(principal, member.division_code, "档案 / archive entry")
    return member


async def get_appointment(
    session: AsyncSession, principal: Principal, appointment_id: int, *, history: bool = False
) -> Appointment:
    appointment = (
        await repository.appointment_with_history(session, appointment_id)
        if history
        else await repository.appointment(session, appointment_id)
    )
    if appointment is None:
        raise NotFound(what="聘任 / appointment", key=appointment_id)
    _visible(principal, appointment.division_code, "聘任 / appointment")
    return appointment


# Members


def check_disability(relation: str, category: int | None, grade: int | None) -> None:
    if relation == DisabilityRelation.DISABLED and category is None:
        raise DisabilityCategoryRequired()
    if relation != DisabilityRelation.DISABLED and (category is not None or grade is not None):
        raise DisabilityCategoryNotApplicable()


async def find_member(
    session: AsyncSession, runtime: ServiceRuntime, principal: Principal, number: str
) -> Member:
    """By citizen ID through its keyed hash; the number itself is never stored in clear."""
    member = await repository.member_by_citizen_index(session, runtime.personal_data.index(number))
    if member is None or not principal.covers(member.division_code):
        raise OutsideScope(what="档案 / archive entry")
    return member


async def register_member(
    session: AsyncSession, runtime: ServiceRuntime, principal: Principal, body: MemberCreate
) -> Member:
    principal.ensure_covers(body.division_code)
    check_disability(body.disability_relation, body.disability_category, body.disability_grade)
    protector = runtime.personal_data
    index = protector.index(body.citizen_id)
    existing = await repository.member_by_citizen_index(session, index)
    if existing is not None:
        raise AlreadyInArchive(member_id=existing.id)
    return await _add_member(session, runtime, body, index, principal.subject)


def _new_member(
    protector: PersonalDataProtector, body: MemberCreate, index: str, actor: str
) -> Member:
    now = utcnow()
    born = citizen_id.birth_date(body.citizen_id)
    assert born is not None  # CitizenId validated it
    return Member(
        kind=body.kind,
        division_code=body.division_code,
        name_ciphertext=protector.encrypt(body.name.strip()),
        citizen_id_ciphertext=protector.encrypt(body.citizen_id),
        citizen_id_index=index,
        phone_ciphertext=protector.encrypt(body.phone) if body.phone else None,
        sex=citizen_id.sex(body.citizen_id),
        birth_year=born.year,
        disability_relation=body.disability_relation,
        disability_category=(
            int(body.disability_category) if body.disability_category is not None else None
        ),
        disability_grade=body.disability_grade,
        education=body.education,
        in_talent_pool=body.in_talent_pool,
        reserve_cadre=body.reserve_cadre,
        version=1,
        created_at=now,
        updated_at=now,
        updated_by=actor,
    )


async def _add_member(
    session: AsyncSession, runtime: ServiceRuntime, body: MemberCreate, index: str, actor: str
) -> Member:
    member = _new_member(runtime.personal_data, body, index, actor)
    session.add(member)
    await session.flush()
    await runtime.outbox.add(session, MemberRegistered(**member_snapshot(member)))
    return member


async def update_member(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    member_id: int,
    body: MemberUpdate,
) -> Member:
    member = await get_member(session, principal, member_id)
    principal.ensure_covers(member.division_code)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("division_code") is not None:
        principal.ensure_covers(changes["division_code"])  # moving out of scope: refused
    else:
        changes.pop("division_code", None)
    relation = changes.get("disability_relation") or member.disability_relation
    if "disability_relation" in changes and relation != DisabilityRelation.DISABLED:
        # Leaving "disabled" clears the category unless the caller sent one (an error).
        changes.setdefault("disability_category", None)
        changes.setdefault("disability_grade", None)
    category = changes.get("disability_category", member.disability_category)
    grade = changes.get("disability_grade", member.disability_grade)
    check_disability(relation, category, grade)
    if "phone" in changes:
        phone = changes.pop("phone")
        member.phone_ciphertext = runtime.personal_data.encrypt(phone) if phone else None
    for name, value in changes.items():
        if name in ("in_talent_pool", "reserve_cadre") and value is None:
            continue
        setattr(member, name, int(value) if name == "disability_category" and value else value)
    member.version += 1
    member.updated_at = utcnow()
    member.updated_by = principal.subject
    await session.flush()
    await runtime.outbox.add(session, MemberChanged(**member_snapshot(member)))
    # Appointment snapshots carry the person's disability facts: keep them current.
    for appointment in await repository.holding_appointments_of(session, member.id):
        appointment.version += 1
        appointment.updated_at = member.updated_at
        appointment.updated_by = principal.subject
        await runtime.outbox.add(
            session, AppointmentChanged(**appointment_snapshot(appointment, member))
        )
    return member


def masked_name(protector: PersonalDataProtector, member: Member) -> str:
    return mask_name(protector.decrypt(member.name_ciphertext))


def masked_citizen_id(protector: PersonalDataProtector, member: Member) -> str:
    return mask_citizen_id(protector.decrypt(member.citizen_id_ciphertext))


def masked_phone(protector: PersonalDataProtector, member: Member) -> str | None:
    if member.phone_ciphertext is None:
        return None
    return _mask_phone(protector.decrypt(member.phone_ciphertext))


# Appointments


async def appoint(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    member_id: int,
    body: AppointmentCreate,
) -> Appointment:
    member = await get_member(session, principal, member_id)
    principal.ensure_covers(member.division_code)
    organisation = await usable_organisation(session, body.organisation_id)
    principal.ensure_covers(organisation.division_code)
    check_contract(body.contract_start, body.contract_end)
    existing = await repository.holding_at(
        session, member.id, organisation.organisation_id, body.post
    )
    if existing is not None:
        raise AlreadyHoldsPost(
            organisation_id=organisation.organisation_id, appointment_id=existing.id
        )
    seat = seat_key(organisation.organisation_id, body.post)
    if seat is not None:
        holder = await repository.seat_holder(session, seat)
        if holder is not None:
            raise PostOccupied(organisation_id=organisation.organisation_id, holder=holder.id)
    policy = await AllowancePolicy.load(session)
    return await _add_appointment(session, runtime, principal, member, organisation, body, policy)


async def usable_organisation(session: AsyncSession, organisation_id: str) -> Organisation:
    organisation = await repository.organisation(session, organisation_id)
    if organisation is None:
        raise UnknownOrganisation(organisation_id=organisation_id)
    if organisation.status == OrganisationStatus.DISSOLVED:
        raise OrganisationDissolved(organisation_id=organisation_id)
    return organisation


def check_contract(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise ContractEndsBeforeStart(start=start.isoformat(), end=end.isoformat())


def seat_key(organisation_id: str, post: str) -> str | None:
    return f"{organisation_id}|{post}" if post in SINGLE_SEAT_POSTS else None


def _new_appointment(
    principal: Principal,
    member: Member,
    organisation: Organisation,
    body: AppointmentCreate,
    policy: AllowancePolicy,
) -> Appointment:
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
        monthly_allowance_yuan=body.monthly_allowance_yuan,
        social_insurance_subsidy=body.social_insurance_subsidy,
        status=body.status,
        status_since=body.contract_start,
        seat_key=seat_key(organisation.organisation_id, body.post),
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
    _apply_compliance(appointment, policy)
    return appointment


async def _add_appointment(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    member: Member,
    organisation: Organisation,
    body: AppointmentCreate,
    policy: AllowancePolicy,
) -> Appointment:
    appointment = _new_appointment(principal, member, organisation, body, policy)
    session.add(appointment)
    await session.flush()
    await runtime.outbox.add(session, MemberAppointed(**appointment_snapshot(appointment, member)))
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
) -> Appointment:
    appointment = await get_appointment(session, principal, appointment_id)
    principal.ensure_covers(appointment.division_code)
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
    for name, value in changes.items():
        setattr(appointment, name, value)
    _apply_compliance(appointment, await AllowancePolicy.load(session))
    return await _changed(session, runtime, appointment, principal.subject)


async def _changed(
    session: AsyncSession, runtime: ServiceRuntime, appointment: Appointment, actor: str
) -> Appointment:
    appointment.version += 1
    appointment.updated_at = utcnow()
    appointment.updated_by = actor
    await session.flush()
    member = await repository.member(session, appointment.member_id)
    assert member is not None
    event_type = MemberLeft if appointment.status in LEFT else AppointmentChanged
    await runtime.outbox.add(session, event_type(**appointment_snapshot(appointment, member)))
    return appointment


async def transition(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    appointment_id: int,
    body: TransitionCreate,
) -> Appointment:
    appointment = await get_appointment(session, principal, appointment_id)
    principal.ensure_covers(appointment.division_code)
    current = AppointmentStatus(appointment.status)
    allowed = TRANSITIONS[current]
    if body.status not in allowed:
        raise TransitionNotAllowed(
            current=current.value,
            target=body.status.value,
            current_zh=STATUS_NAMES[current],
            target_zh=STATUS_NAMES[body.status],
            allowed=", ".join(sorted(allowed)) or "-",
            allowed_zh="、".join(STATUS_NAMES[s] for s in sorted(allowed)) or "无(已结束)",
        )
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
    return await _changed(session, runtime, appointment, principal.subject)


# Allowance minimums


async def set_allowance_minimum(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    division_code: str,
    post_level: PostLevel,
    body: AllowanceMinimumSet,
) -> tuple[AllowanceMinimum, int, int]:
    """Save a region's minimum and re-check every committee member it now governs; each
    appointment whose minimum or compliance changes gets a new version and an event."""
    principal.ensure_covers(division_code)
    row = await repository.allowance_minimum(session, division_code, post_level)
    if row is None:
        row = AllowanceMinimum(division_code=division_code, post_level=post_level)
        session.add(row)
    row.monthly_minimum_yuan = body.monthly_minimum_yuan
    row.basis = body.basis
    row.updated_by = principal.subject
    row.updated_at = utcnow()
    await session.flush()
    policy = await AllowancePolicy.load(session)
    rechecked = changed = 0
    for appointment in await repository.committee_appointments_under(
        session, divisions.prefix(division_code)
    ):
        if post_level_of(appointment.division_code) != post_level:
            continue
        rechecked += 1
        before = (appointment.allowance_minimum_yuan, appointment.allowance_compliant)
        _apply_compliance(appointment, policy)
        if (appointment.allowance_minimum_yuan, appointment.allowance_compliant) != before:
            changed += 1
            appointment.version += 1
            appointment.updated_at = row.updated_at
            appointment.updated_by = principal.subject
            await runtime.outbox.add(
                session, AppointmentChanged(**appointment_snapshot(appointment, appointment.member))
            )
    await session.flush()
    return row, rechecked, changed


# Assessments and training


async def record_assessment(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    appointment_id: int,
    body: AssessmentCreate,
) -> Assessment:
    appointment = await get_appointment(session, principal, appointment_id)
    principal.ensure_covers(appointment.division_code)
    existing = await repository.assessment_of_year(session, appointment.id, body.year)
    if existing is not None:
        raise AssessmentExists(
            appointment_id=appointment.id, year=body.year, assessment_id=existing.id
        )
    assessment = Assessment(
        appointment_id=appointment.id,
        member_id=appointment.member_id,
        division_code=appointment.division_code,
        year=body.year,
        performance_score=body.performance_score,
        evaluation_score=body.evaluation_score,
        grade=body.grade,
        remarks=body.remarks,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(assessment)
    await session.flush()
    await runtime.outbox.add(
        session,
        MemberAssessed(
            assessment_id=str(assessment.id),
            version=1,
            member_id=str(assessment.member_id),
            appointment_id=str(assessment.appointment_id),
            division_code=assessment.division_code,
            year=assessment.year,
            performance_score=assessment.performance_score,
            evaluation_score=assessment.evaluation_score,
            grade=body.grade,
        ),
    )
    return assessment


async def record_training(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    member_id: int,
    body: TrainingCreate,
    *,
    today: date | None = None,
) -> Training:
    member = await get_member(session, principal, member_id)
    principal.ensure_covers(member.division_code)
    if body.held_on > (today or today_in_china()):
        raise TrainingInFuture(held_on=body.held_on.isoformat())
    training = Training(
        member_id=member.id,
        division_code=member.division_code,
        course=body.course.strip(),
        hours=body.hours,
        held_on=body.held_on,
        organiser=body.organiser.strip(),
        recorded_by=principal.subject,
        recorded_at=utcnow(),
    )
    session.add(training)
    await session.flush()
    await runtime.outbox.add(session, training_event(training))
    return training


def training_event(training: Training) -> MemberTrained:
    return MemberTrained(
        training_id=str(training.id),
        version=1,  # training records are never changed
        member_id=str(training.member_id),
        division_code=training.division_code,
        held_on=training.held_on,
        hours=training.hours,
        plan_period_start=plan_period(training.held_on).start.year,
    )


def talent_pool_target(region: str) -> int | None:
    level = divisions.level_of(region)
    if level == divisions.DivisionLevel.CITY:
        return 80
    if level == divisions.DivisionLevel.COUNTY:
        return 30
    return None


def check_summary_region(region: str) -> None:
    if divisions.level_of(region) < divisions.DivisionLevel.CITY:
        raise RegionTooWide(region=region)


# The organisation registry's events feed the local read model.


async def apply_organisation_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """Consumer `members-organisations`: keep the newest snapshot of each organisation;
    an event whose version is not newer than the stored one is stale and ignored. A batch is
    applied with one look-up and one flush, so a registry replay goes quickly."""
    newest: dict[str, OrganisationSnapshot] = {}
    for envelope in events:
        if not envelope.known:
            continue
        payload = envelope.payload()
        if not isinstance(payload, OrganisationSnapshot):
            continue
        kept = newest.get(payload.organisation_id)
        if kept is None or payload.version > kept.version:
            newest[payload.organisation_id] = payload
    if not newest:
        return
    stored = await repository.organisations_by_id(session, sorted(newest))
    coverage: dict[str, list[str]] = {}
    moved: list[tuple[str, str]] = []
    now = datetime.now(UTC)
    for organisation_id, snapshot in newest.items():
        current = stored.get(organisation_id)
        if current is not None and current.version >= snapshot.version:
            continue
        if current is None:
            current = Organisation(organisation_id=organisation_id)
            session.add(current)
        elif current.division_code != snapshot.division_code:
            moved.append((organisation_id, snapshot.division_code))
        current.version = snapshot.version
        current.name = snapshot.name
        current.kind = snapshot.kind
        current.level = snapshot.level
        current.division_code = snapshot.division_code
        current.status = snapshot.status
        current.dissolved_on = snapshot.dissolved_on
        current.updated_at = now
        coverage[organisation_id] = snapshot.covered_divisions or [snapshot.division_code]
    await session.flush()
    await repository.replace_coverage(session, coverage)
    await session.flush()
    for organisation_id, division_code in moved:
        await _follow_division_change(session, organisation_id, division_code)


# The consumer has no request runtime; it writes to the same outbox table directly.
_CONSUMER_OUTBOX = Outbox(platform_tables(Base.metadata), source="/canlian/members")


async def _follow_division_change(
    session: AsyncSession, organisation_id: str, division_code: str
) -> None:
    """村级建制调整: when an organisation moves to another division (merge, split), the posts
    it holds move with it, so region counts, minimums and scope follow."""
    policy = await AllowancePolicy.load(session)
    for appointment in await repository.holding_appointments_at(session, organisation_id):
        appointment.division_code = division_code
        _apply_compliance(appointment, policy)
        appointment.version += 1
        appointment.updated_at = utcnow()
        appointment.updated_by = "org-registry"  # 村级建制调整 announced by the registry
        await _CONSUMER_OUTBOX.add(
            session, AppointmentChanged(**appointment_snapshot(appointment, appointment.member))
        )
    await session.flush()


# Roster import: validate every row first; by default write nothing unless all rows pass.

ROSTER_COLUMNS = (
    Column("name", ("姓名",)),
    Column("citizen_id", ("公民身份号码", "身份证号码", "身份证号")),
    Column("phone", ("联系电话", "电话", "手机号码"), required=False),
    Column("kind", ("人员类别",), required=False),
    Column("division_code", ("档案所属区划", "所属区划", "区划代码"), required=False),
    Column("disability_relation", ("残疾人或亲属", "是否残疾人或亲属", "身份")),
    Column("disability_category", ("残疾类别",), required=False),
    Column("disability_grade", ("残疾等级",), required=False),
    Column("education", ("文化程度", "学历"), required=False),
    Column("organisation_id", ("组织编号",)),
    Column("post", ("岗位",), required=False),
    Column("selection_method", ("选聘方式",)),
    Column("contract_start", ("合同开始日期", "合同开始")),
    Column("contract_end", ("合同结束日期", "合同结束"), required=False),
    Column("public_welfare_post", ("公益性岗位", "是否公益性岗位")),
    Column("monthly_allowance_yuan", ("月补贴(元)", "月补贴(元)", "月补贴", "误工补贴")),
    Column("social_insurance_subsidy", ("社保补贴", "社会保险补贴"), required=False),
    Column("status", ("状态", "在岗状态"), required=False),
)

Progress = Callable[[str, int, int], None]

_TEMPLATE_EXAMPLE = {
    "name": "张三",
    "citizen_id": "11010519491231002X",
    "phone": "13800000000",
    "kind": "专职委员",
    "division_code": "",
    "disability_relation": "残疾人",
    "disability_category": "肢体",
    "disability_grade": "3",
    "education": "高中",
    "organisation_id": "(组织登记中的组织编号)",
    "post": "专职委员",
    "selection_method": "公开考试",
    "contract_start": "2025-01-01",
    "contract_end": "2027-12-31",
    "public_welfare_post": "否",
    "monthly_allowance_yuan": "100",
    "social_insurance_subsidy": "否",
    "status": "在岗",
}


def roster_template() -> bytes:
    """A CSV with the Chinese headers the import reads and one example line (UTF-8 with BOM,
    so Excel opens it correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.aliases[0] for column in ROSTER_COLUMNS])
    writer.writerow([_TEMPLATE_EXAMPLE[column.field] for column in ROSTER_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


class RosterInvalid(InvalidInput):
    code = "roster-invalid"
    title = Message(zh="花名册有错误,未导入", en="The roster has errors; nothing was imported")
    detail = Message(
        zh="{invalid} 行有错误(共 {total} 行),见 report.errors;改正后重新上传,"
        "或先用 dry_run=true 校验",
        en="{invalid} of {total} rows have errors (see report.errors); fix them and upload "
        "again, or check first with dry_run=true",
    )

    def extensions(self) -> dict[str, Any]:
        report: ImportReport = self.params["report"]
        return {"report": report.model_dump(mode="json")}


class _DuplicateInFile(MembersInputError):
    code = "duplicate-in-file"
    field = "citizen_id"
    detail = Message(zh="与第 {row} 行为同一人(公民身份号码重复)", en="Same person as row {row}")


class _SeatTakenInFile(MembersInputError):
    code = "seat-taken-in-file"
    field = "organisation_id"
    detail = Message(
        zh="该组织的此岗位只设1人,已由第 {row} 行占用",
        en="This single-seat post is taken by row {row}",
    )


class _OutsideScopeRow(MembersInputError):
    code = "region-outside-scope"
    field = "organisation_id"
    detail = Message(
        zh="区划 {region} 不在您的管辖范围 {scope} 内", en="Division {region} is outside {scope}"
    )


def _row_error(row: int, error: ProblemError, field: str | None = None) -> RowError:
    name = field or (error.field if isinstance(error, MembersInputError) else "-")
    return RowError(row=row, field=name, reason=error.render_detail("zh") or error.title.zh)


def _row_rules(row: RosterRow) -> list[MembersInputError]:
    found: list[MembersInputError] = []
    try:
        check_disability(row.disability_relation, row.disability_category, row.disability_grade)
    except MembersInputError as error:
        found.append(error)
    try:
        check_contract(row.contract_start, row.contract_end)
    except MembersInputError as error:
        found.append(error)
    return found


@dataclass
class _Candidate:
    number: int
    row: RosterRow
    organisation: Organisation
    index: str


async def import_roster(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    content: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    all_or_nothing: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    errors: list[RowError] = []
    source = list(read_table(content, filename, ROSTER_COLUMNS, errors))
    bad_rows = {error.row for error in errors}
    parsed: list[tuple[int, RosterRow]] = []
    for done, line in enumerate(source, start=1):
        values = {name: value for name, value in line.values.items() if value is not None}
        try:
            row = RosterRow.model_validate(values)
        except ValidationError as error:
            errors.extend(errors_from_validation(line.number, error))
            bad_rows.add(line.number)
            continue
        finally:
            if progress:
                progress("validate", done, len(source))
        if line.number not in bad_rows:
            parsed.append((line.number, row))

    candidates = await _check_rows(session, runtime, principal, parsed, errors, bad_rows)
    errors.sort(key=lambda error: error.row)
    report = ImportReport(
        total_rows=len(source),
        valid_rows=len(candidates),
        invalid_rows=len(bad_rows),
        imported_rows=0,
        dry_run=dry_run,
        errors=errors,
    )
    if dry_run:
        return report
    if errors and all_or_nothing:
        raise RosterInvalid(invalid=len(bad_rows), total=len(source), report=report)
    await _write_rows(session, runtime, principal, candidates, progress)
    return report.model_copy(update={"imported_rows": len(candidates)})


async def _check_rows(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    parsed: Sequence[tuple[int, RosterRow]],
    errors: list[RowError],
    bad_rows: set[int],
) -> list[_Candidate]:
    """The domain rules of every row, against the database and the rows before it."""
    protector = runtime.personal_data
    organisations = await repository.organisations_by_id(
        session, sorted({row.organisation_id for _, row in parsed})
    )
    indexes = {number: protector.index(row.citizen_id) for number, row in parsed}
    known = await repository.members_by_citizen_index(session, sorted(set(indexes.values())))
    held = await repository.held_posts(session, [member.id for member in known.values()])
    taken = await repository.seats_taken(
        session,
        sorted(
            {
                key
                for _, row in parsed
                if (key := seat_key(row.organisation_id, row.post)) is not None
            }
        ),
    )
    first_row_of_person: dict[str, int] = {}
    first_row_of_seat: dict[str, int] = {}
    candidates: list[_Candidate] = []
    for number, row in parsed:
        problems: list[RowError] = []
        index = indexes[number]
        organisation = organisations.get(row.organisation_id)
        try:
            if organisation is None:
                raise UnknownOrganisation(organisation_id=row.organisation_id)
            if organisation.status == OrganisationStatus.DISSOLVED:
                raise OrganisationDissolved(organisation_id=row.organisation_id)
            for code in (organisation.division_code, row.division_code):
                if code is not None and not principal.covers(code):
                    raise _OutsideScopeRow(region=code, scope=principal.region)
        except MembersInputError as error:
            problems.append(_row_error(number, error))
        problems.extend(_row_error(number, error) for error in _row_rules(row))
        if index in first_row_of_person:
            problems.append(_row_error(number, _DuplicateInFile(row=first_row_of_person[index])))
        member = known.get(index)
        seat = seat_key(row.organisation_id, row.post)
        holding = held.get((member.id, row.organisation_id, row.post)) if member else None
        if holding is not None:
            problems.append(
                _row_error(
                    number,
                    AlreadyHoldsPost(organisation_id=row.organisation_id, appointment_id=holding),
                    "organisation_id",
                )
            )
        elif seat is not None and seat in taken:
            holder = await repository.seat_holder(session, seat)
            problems.append(
                _row_error(
                    number,
                    PostOccupied(
                        organisation_id=row.organisation_id, holder=holder.id if holder else "-"
                    ),
                    "post",
                )
            )
        elif seat is not None and seat in first_row_of_seat:
            problems.append(_row_error(number, _SeatTakenInFile(row=first_row_of_seat[seat])))
        first_row_of_person.setdefault(index, number)
        if seat is not None:
            first_row_of_seat.setdefault(seat, number)
        if problems:
            errors.extend(problems)
            bad_rows.add(number)
            continue
        assert organisation is not None
        candidates.append(_Candidate(number, row, organisation, index))
    return candidates


async def _write_rows(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    candidates: Sequence[_Candidate],
    progress: Progress | None,
) -> None:
    """Write every row in a few batched flushes, then one event per new person and per
    appointment, all in the request's single transaction."""
    policy = await AllowancePolicy.load(session)
    known = await repository.members_by_citizen_index(
        session, sorted({candidate.index for candidate in candidates})
    )
    new_members: list[Member] = []
    appointments: list[Appointment] = []
    for done, candidate in enumerate(candidates, start=1):
        row = candidate.row
        member = known.get(candidate.index)
        if member is None:
            member = _new_member(
                runtime.personal_data,
                MemberCreate(
                    kind=row.kind,
                    division_code=row.division_code or candidate.organisation.division_code,
                    name=row.name,
                    citizen_id=row.citizen_id,
                    phone=row.phone,
                    disability_relation=row.disability_relation,
                    disability_category=row.disability_category,
                    disability_grade=row.disability_grade,
                    education=row.education,
                ),
                candidate.index,
                principal.subject,
            )
            known[candidate.index] = member
            new_members.append(member)
        appointments.append(
            _new_appointment(
                principal,
                member,
                candidate.organisation,
                AppointmentCreate(
                    organisation_id=row.organisation_id,
                    post=row.post,
                    selection_method=row.selection_method,
                    contract_start=row.contract_start,
                    contract_end=row.contract_end,
                    public_welfare_post=row.public_welfare_post,
                    monthly_allowance_yuan=row.monthly_allowance_yuan,
                    social_insurance_subsidy=row.social_insurance_subsidy,
                    status=row.status,
                    reason=f"花名册导入第 {candidate.number} 行 / roster import row "
                    f"{candidate.number}",
                ),
                policy,
            )
        )
        if progress:
            progress("import", done, len(candidates))
    session.add_all(new_members)
    session.add_all(appointments)
    await session.flush()
    total = len(new_members) + len(appointments)
    for done, member in enumerate(new_members, start=1):
        await runtime.outbox.add(session, MemberRegistered(**member_snapshot(member)))
        if progress and done % 100 == 0:
            progress("events", done, total)
    for done, appointment in enumerate(appointments, start=len(new_members) + 1):
        await runtime.outbox.add(
            session, MemberAppointed(**appointment_snapshot(appointment, appointment.member))
        )
        if progress and (done % 100 == 0 or done == total):
            progress("events", done, total)


# Export: the roster as officials file it, masked (the unmasked archive stays in the system).

_EXPORT_HEADER = (
    "聘任编号", "档案编号", "姓名", "公民身份号码", "性别", "出生年份", "残疾人或亲属",
    "残疾类别", "组织编号", "所在区划", "岗位", "选聘方式", "状态", "状态起始日",
    "合同开始日期", "合同结束日期", "公益性岗位", "月补贴(元)", "最低标准(元)", "补贴达标",
)  # fmt: skip
_LABELS = {
    "male": "男", "female": "女", "disabled": "残疾人", "relative": "亲属", "none": "否",
    "committee_member": "专职委员", "full_time_chair": "专职理事长", "chair": "理事长/主席",
    "vice_chair": "副主席", "staff": "工作人员", "open_examination": "公开考试",
    "transfer": "调任", "election": "选举", **{str(k): v for k, v in STATUS_NAMES.items()},
}  # fmt: skip


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def roster_workbook(protector: PersonalDataProtector, appointments: Sequence[Appointment]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("专职委员花名册")
    sheet.append(list(_EXPORT_HEADER))
    for appointment in appointments:
        member = appointment.member
        sheet.append(
            [
                appointment.id,
                member.id,
                masked_name(protector, member),
                masked_citizen_id(protector, member),
                _LABELS[member.sex],
                member.birth_year,
                _LABELS[member.disability_relation],
                member.disability_category,
                appointment.organisation_id,
                appointment.division_code,
                _LABELS[appointment.post],
                _LABELS[appointment.selection_method],
                _LABELS[appointment.status],
                appointment.status_since,
                appointment.contract_start,
                appointment.contract_end,
                _yes_no(appointment.public_welfare_post),
                float(appointment.monthly_allowance_yuan),
                None
                if appointment.allowance_minimum_yuan is None
                else float(appointment.allowance_minimum_yuan),
                _yes_no(appointment.allowance_compliant),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
