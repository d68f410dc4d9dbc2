"""Domain rules of persons: registration (one record per citizen ID), corrections, scope,
unmasked reads (audited) and masking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.context import Context
from canlian.cards.persons import repository
from canlian.cards.persons.models import Person
from canlian.cards.persons.problems import (
    NothingToUpdate,
    PersonAlreadyRegistered,
    PersonRegisteredElsewhere,
)
from canlian.cards.persons.schemas import PersonCreate, PersonUpdate
from canlian.cards.regions import ensure_local
from canlian.cards.versioning import touch
from canlian.common import audit, citizen_id, rate_limit
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.personal_data import (
    PersonalDataProtector,
    mask_citizen_id,
    mask_name,
    mask_phone,
)


def new_person(
    pii: PersonalDataProtector,
    citizen_id_value: str,
    name: str,
    phone: str | None,
    residence: str,
) -> Person:
    born = citizen_id.birth_date(citizen_id_value)
    assert born is not None  # parse() has checked it
    now = utcnow()
    return Person(
        citizen_id_encrypted=pii.encrypt(citizen_id_value),
        citizen_id_index=pii.index(citizen_id_value),
        name_encrypted=pii.encrypt(name.strip()),
        phone_encrypted=pii.encrypt(phone.strip()) if phone else None,
        sex=citizen_id.sex(citizen_id_value),
        birth_date=born,
        residence_division_code=residence,
        version=1,
        created_at=now,
        updated_at=now,
    )


async def register_person(ctx: Context, data: PersonCreate, *, on_its_own: bool = False) -> Person:
    """A new person. `on_its_own`: the registration is the caller's whole unit of work (no
    idempotency key to store with it), so its one INSERT commits by itself."""
    ctx.principal.ensure_covers(data.residence_division_code)
    ensure_local(data.residence_division_code, "residence_division_code", "户籍所在地")
    person = new_person(
        ctx.pii, data.citizen_id, data.name, data.phone, data.residence_division_code
    )
    if on_its_own:
        added = await repository.add_person_on_its_own(ctx.database, person)
    else:
        added = await repository.add_person_unless_registered(ctx.session, person)
    if added:
        return person
    existing = await repository.person_by_index(ctx.session, person.citizen_id_index)
    # The insert waited for a concurrent registration to commit; persons are never deleted.
    assert existing is not None
    if ctx.principal.covers(existing.residence_division_code):
        raise PersonAlreadyRegistered(person_id=existing.id)
    # The caller knows the citizen ID; the record itself stays out of reach.
    raise PersonRegisteredElsewhere()


async def correct_person(
    ctx: Context, person_id: int, data: PersonUpdate, precondition: Precondition
) -> Person:
    person = await person_in_scope(ctx, person_id, lock=True)
    precondition.check(person.version)
    given = data.model_fields_set
    if not given or ("name" in given and data.name is None):
        raise NothingToUpdate()
    if data.name is not None:
        person.name_encrypted = ctx.pii.encrypt(data.name.strip())
    if "phone" in given:
        person.phone_encrypted = ctx.pii.encrypt(data.phone.strip()) if data.phone else None
    touch(person)
    await ctx.session.flush()
    return person


async def person_in_scope(ctx: Context, person_id: int, *, lock: bool = False) -> Person:
    person = await repository.get_person(ctx.session, person_id, lock=lock)
    # Absent and out of scope answer alike, so ids cannot be probed across regions.
    if person is None or not ctx.principal.covers(person.residence_division_code):
        raise OutsideScope(what="人员 / person")
    return person


async def look_up_person(ctx: Context, citizen_id_value: str) -> Person | None:
    """A person by citizen ID, within the caller's scope; None when not found (absent and out
    of scope alike). Each look-up is limited per principal (429 past the limit) and audited,
    a miss is counted (a burst of misses is a security event). The caller answers a miss
    without raising, so that the audit row of the miss is committed."""
    await ctx.limiter.hit(ctx.principal, rate_limit.LOOKUPS, session=ctx.session)
    person = await repository.person_by_index(ctx.session, ctx.pii.index(citizen_id_value))
    if person is not None and not ctx.principal.covers(person.residence_division_code):
        person = None
    await audit.record_lookup(
        ctx.session,
        ctx.tables,
        ctx.principal,
        object_type="cards.person",
        object_id=str(person.id) if person is not None else None,
    )
    if person is None:
        await ctx.limiter.miss(ctx.principal, session=ctx.session)
    return person


async def read_unmasked(ctx: Context, person_id: int, reason: str | None) -> Person:
    person = await person_in_scope(ctx, person_id)
    await audit.record_unmasked_read(
        ctx.session,
        ctx.tables,
        ctx.principal,
        object_type="cards.person",
        object_id=str(person.id),
        reason=reason,
    )
    return person


@dataclass(frozen=True)
class MaskedPerson:
    citizen_id: str
    name: str
    phone: str | None


def masked(pii: PersonalDataProtector, person: Person) -> MaskedPerson:
    return MaskedPerson(
        citizen_id=mask_citizen_id(pii.decrypt(person.citizen_id_encrypted)),
        name=mask_name(pii.decrypt(person.name_encrypted)),
        phone=mask_phone(pii.decrypt(person.phone_encrypted)) if person.phone_encrypted else None,
    )


class HeldByPerson(Protocol):
    person_id: int


async def holders_of(session: AsyncSession, items: Sequence[HeldByPerson]) -> dict[int, Person]:
    """The persons behind a page of applications or cards, by id."""
    return await repository.persons_by_ids(session, (item.person_id for item in items))
