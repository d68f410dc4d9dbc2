"""Rules of the archive: one entry per citizen ID, disability facts consistent, identifiers
encrypted and shown masked; every change is versioned and announced."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import audit, citizen_id, rate_limit
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.members import DisabilityRelation, MemberChanged, MemberRegistered
from canlian.common.personal_data import PersonalDataProtector, mask_citizen_id, mask_name
from canlian.common.personal_data import mask_phone as _mask_phone
from canlian.common.runtime import ServiceRuntime
from canlian.members.archive import repository
from canlian.members.archive.models import Member
from canlian.members.archive.problems import (
    AlreadyInArchive,
    AlreadyInArchiveElsewhere,
    DisabilityCategoryNotApplicable,
    DisabilityCategoryRequired,
)
from canlian.members.archive.schemas import MemberCreate, MemberUpdate

# What else must follow a profile change, in the same unit of work (the app wires them:
# appointments republish their snapshots, which carry the person's disability facts).
ProfileFollower = Callable[[AsyncSession, ServiceRuntime, Member, str], Awaitable[None]]


def member_snapshot(member: Member) -> dict[str, Any]:
    """The member as events carry it: never a name, citizen ID or phone."""
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


async def get_member(
    session: AsyncSession, principal: Principal, member_id: int, *, for_update: bool = False
) -> Member:
    member = await repository.member(session, member_id, for_update=for_update)
    if member is None:
        raise NotFound(what="档案 / archive entry", key=member_id)
    if not principal.covers(member.division_code):
        raise OutsideScope(what="档案 / archive entry")
    return member


def check_disability(relation: str, category: int | None, grade: int | None) -> None:
    if relation == DisabilityRelation.DISABLED and category is None:
        raise DisabilityCategoryRequired()
    if relation != DisabilityRelation.DISABLED and (category is not None or grade is not None):
        raise DisabilityCategoryNotApplicable()


async def find_member(
    session: AsyncSession, runtime: ServiceRuntime, principal: Principal, number: str
) -> Member | None:
    """By citizen ID through its keyed hash; the number itself is never stored in clear.
    None when not found (absent and out of scope alike). Limited per principal (429 past the
    limit), audited, and a miss counted (a burst of misses is a security event); the caller
    answers a miss without raising, so that the audit row of the miss is committed."""
    limiter = runtime.rate_limiter
    await limiter.hit(principal, rate_limit.LOOKUPS, session=session)
    member = await repository.member_by_citizen_index(session, runtime.personal_data.index(number))
    if member is not None and not principal.covers(member.division_code):
        member = None
    await audit.record_lookup(
        session,
        runtime.tables,
        principal,
        object_type="member",
        object_id=str(member.id) if member is not None else None,
    )
    if member is None:
        await limiter.miss(principal, session=session)
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
        if principal.covers(existing.division_code):
            raise AlreadyInArchive(member_id=existing.id)
        raise AlreadyInArchiveElsewhere()
    member = new_member(protector, body, index, principal.subject)
    session.add(member)
    await session.flush()
    await runtime.outbox.add(session, MemberRegistered(**member_snapshot(member)))
    return member


def new_member(
    protector: PersonalDataProtector, body: MemberCreate, index: str, actor: str
) -> Member:
    """A new archive entry, identifiers encrypted (`index` is the citizen ID's keyed hash)."""
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


async def update_member(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    member_id: int,
    body: MemberUpdate,
    *,
    precondition: Precondition,
    followers: Sequence[ProfileFollower] = (),
) -> Member:
    member = await get_member(session, principal, member_id, for_update=True)
    principal.ensure_covers(member.division_code)
    precondition.check(member.version)
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
    for follow in followers:
        await follow(session, runtime, member, principal.subject)
    return member


def masked_name(protector: PersonalDataProtector, member: Member) -> str:
    return mask_name(protector.decrypt(member.name_ciphertext))


def masked_citizen_id(protector: PersonalDataProtector, member: Member) -> str:
    return mask_citizen_id(protector.decrypt(member.citizen_id_ciphertext))


def masked_phone(protector: PersonalDataProtector, member: Member) -> str | None:
    if member.phone_ciphertext is None:
        return None
    return _mask_phone(protector.decrypt(member.phone_ciphertext))
