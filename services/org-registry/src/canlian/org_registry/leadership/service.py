"""Holding a term and setting a body's members; the organisation's compliance follows its
current term. Raises domain errors and writes outbox events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.concurrency import UNCONDITIONAL, Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.events.org_registry import (
    BodyKind,
    LeadershipChanged,
    OrganisationKind,
    RuleOutcome,
    TermHeld,
)
from canlian.common.rules import full_time_chair
from canlian.org_registry.compliance.rules import (
    MemberFacts,
    Role,
    RuleResult,
    disabled_or_relative,
    evaluate,
    role_model_or_grassroots,
    share_minimums,
)
from canlian.org_registry.context import Context
from canlian.org_registry.leadership import repository
from canlian.org_registry.leadership.models import Body, BodyMember, Term
from canlian.org_registry.leadership.problems import (
    BodyNotForKind,
    CategoryWithoutDisability,
    ElectionDueBeforeStart,
    TermEndsBeforeStart,
    TermNotFound,
    TermNumberNotAfterPrevious,
    TermOverlapsPrevious,
)
from canlian.org_registry.leadership.schemas import BodyUpdate, TermCreate
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.organisations.service import writable
from canlian.org_registry.organisations.versions import new_version, snapshot
from canlian.org_registry.policies.repository import registry_values

ALLOWED_BODIES: dict[OrganisationKind, tuple[BodyKind, ...]] = {
    OrganisationKind.FEDERATION: (
        BodyKind.CONGRESS,
        BodyKind.PRESIDIUM,
        BodyKind.EXECUTIVE_COUNCIL,
    ),
    OrganisationKind.ASSOCIATION: (BodyKind.ASSOCIATION_COMMITTEE,),
    OrganisationKind.GROUP: (BodyKind.ASSOCIATION_COMMITTEE,),
    OrganisationKind.SPECIAL_ASSOCIATION: (
        BodyKind.ASSOCIATION_COMMITTEE,
        BodyKind.EXECUTIVE_COUNCIL,
    ),
    OrganisationKind.ENTERPRISE_ASSOCIATION: (BodyKind.ASSOCIATION_COMMITTEE,),
}


def _composition(number: int, kind: BodyKind, members: Sequence[BodyMember]) -> dict[str, Any]:
    """A body's make-up for the audit trail: counts only, names stay encrypted."""
    roles: dict[str, int] = {}
    for member in members:
        roles[member.role] = roles.get(member.role, 0) + 1
    return {
        "body": {
            "term_number": number,
            "kind": kind.value,
            "members": len(members),
            "roles": roles,
            "disabled": sum(1 for member in members if member.is_disabled),
            "relatives": sum(1 for member in members if member.is_relative),
            "full_time": sum(1 for member in members if member.is_full_time),
        }
    }


def facts_of(members: Iterable[BodyMember]) -> list[MemberFacts]:
    return [
        MemberFacts(
            role=Role(member.role),
            is_full_time=member.is_full_time,
            is_disabled=member.is_disabled,
            is_relative=member.is_relative,
            is_role_model=member.is_role_model,
            is_grassroots=member.is_grassroots,
        )
        for member in members
    ]


def bodies_of(term: Term | None) -> dict[BodyKind, list[MemberFacts]]:
    if term is None:
        return {}
    return {BodyKind(body.kind): facts_of(body.members) for body in term.bodies}


async def minimums_for(
    session: AsyncSession, organisation: Organisation, on: date
) -> dict[str, int]:
    """The share rules' minimums in force for the organisation's region on a business date."""
    return share_minimums(organisation.division_code, on, await registry_values(session))


async def compliance(
    session: AsyncSession, organisation: Organisation, on: date
) -> list[RuleResult]:
    term = await repository.current_term(session, organisation.id, with_bodies=True)
    return evaluate(
        OrganisationKind(organisation.kind),
        organisation.level,
        bodies_of(term),
        await minimums_for(session, organisation, on),
    )


def apply_compliance(
    organisation: Organisation, bodies: dict[BodyKind, list[MemberFacts]], results: list[RuleResult]
) -> None:
    council = bodies.get(BodyKind.EXECUTIVE_COUNCIL, [])
    organisation.has_full_time_chair = full_time_chair.has_full_time_chair(m.role for m in council)
    organisation.has_disabled_cadre = any(m.is_disabled for m in council)
    organisation.leadership_compliant = all(result.met for result in results)


async def hold_term(
    session: AsyncSession, context: Context, organisation_id: str, body: TermCreate
) -> Term:
    # A new term adds to the organisation; it changes nothing a caller read.
    organisation = await writable(session, context, organisation_id, UNCONDITIONAL)
    if body.ends_on <= body.starts_on:
        raise TermEndsBeforeStart(starts_on=body.starts_on, ends_on=body.ends_on)
    due = body.next_election_due or body.ends_on
    if due <= body.starts_on:
        raise ElectionDueBeforeStart(due=due, starts_on=body.starts_on)
    previous = await repository.current_term(session, organisation.id)
    if previous is not None and body.starts_on <= previous.starts_on:
        raise TermOverlapsPrevious(previous=previous.number, previous_start=previous.starts_on)
    following = (previous.number + 1) if previous else 1
    if previous is not None and body.number is not None and body.number <= previous.number:
        raise TermNumberNotAfterPrevious(previous=previous.number, next=following)
    before = snapshot(organisation).model_dump()
    term = Term(
        organisation_id=organisation.id,
        number=body.number or following,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        next_election_due=due,
        created_at=utcnow(),
    )
    session.add(term)
    await session.flush()
    # The new term has no bodies yet: compliance starts from scratch.
    results = evaluate(OrganisationKind(organisation.kind), organisation.level, {})
    apply_compliance(organisation, {}, results)
    await new_version(session, context, organisation, "term.held", before)
    await context.outbox.add(session, term_snapshot(organisation, term))
    return term


def term_snapshot(organisation: Organisation, term: Term) -> TermHeld:
    return TermHeld(
        organisation_id=organisation.id,
        version=organisation.version,
        division_code=organisation.division_code,
        level=organisation.level,
        kind=OrganisationKind(organisation.kind),
        term_number=term.number,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        next_election_due=term.next_election_due,
    )


async def set_body(
    session: AsyncSession,
    context: Context,
    organisation_id: str,
    number: int,
    kind: BodyKind,
    body: BodyUpdate,
    precondition: Precondition,
) -> tuple[Organisation, Term, Body]:
    organisation = await writable(session, context, organisation_id, precondition)
    allowed = ALLOWED_BODIES[OrganisationKind(organisation.kind)]
    if kind not in allowed:
        raise BodyNotForKind(
            kind=organisation.kind, allowed=", ".join(item.value for item in allowed)
        )
    for index, member in enumerate(body.members, start=1):
        if member.disability_category is not None and not member.is_disabled:
            raise CategoryWithoutDisability(index=index)
    term = await repository.term(session, organisation.id, number, with_bodies=True)
    if term is None:
        raise TermNotFound(organisation_id=organisation.id, number=number)
    before = snapshot(organisation).model_dump()
    target = next((item for item in term.bodies if item.kind == kind.value), None)
    if target is None:
        target = Body(term_id=term.id, kind=kind.value, updated_at=utcnow(), members=[])
        term.bodies.append(target)
    composition_before = _composition(number, kind, target.members)
    target.members.clear()
    await session.flush()
    protector = context.personal_data
    for member in body.members:
        target.members.append(
            BodyMember(
                name_encrypted=protector.encrypt(member.name.strip()),
                name_index=protector.index(member.name.strip()),
                role=member.role.value,
                is_full_time=member.is_full_time,
                is_disabled=member.is_disabled,
                is_relative=member.is_relative,
                is_role_model=member.is_role_model,
                is_grassroots=member.is_grassroots,
                disability_category=(
                    int(member.disability_category) if member.disability_category else None
                ),
            )
        )
    target.updated_at = utcnow()
    await session.flush()
    current = await repository.current_term(session, organisation.id)
    facts = facts_of(target.members)
    if current is not None and current.id == term.id:
        bodies = bodies_of(term)
        minimums = await minimums_for(session, organisation, context.today)
        results = evaluate(
            OrganisationKind(organisation.kind), organisation.level, bodies, minimums
        )
        apply_compliance(organisation, bodies, results)
    else:
        results = []
    await new_version(
        session,
        context,
        organisation,
        f"leadership.{kind.value}.set",
        before,
        detail_before=composition_before,
        detail_after=_composition(number, kind, target.members),
    )
    await context.outbox.add(
        session,
        LeadershipChanged(
            organisation_id=organisation.id,
            version=organisation.version,
            division_code=organisation.division_code,
            level=organisation.level,
            kind=OrganisationKind(organisation.kind),
            term_number=term.number,
            body=kind,
            member_count=len(facts),
            disabled_or_relative_count=sum(1 for m in facts if disabled_or_relative(m)),
            role_model_or_grassroots_count=sum(1 for m in facts if role_model_or_grassroots(m)),
            disabled_count=sum(1 for m in facts if m.is_disabled),
            full_time_count=sum(1 for m in facts if m.is_full_time),
            has_full_time_chair=organisation.has_full_time_chair,
            has_disabled_cadre=organisation.has_disabled_cadre,
            leadership_compliant=organisation.leadership_compliant,
            rules=[RuleOutcome(rule=result.rule, met=result.met) for result in results],
        ),
    )
    return organisation, term, target
