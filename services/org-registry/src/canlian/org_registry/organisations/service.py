"""Registering, changing and dissolving organisations; raises domain errors and writes
outbox events.

Every write checks all its rules before it changes anything, so a refused request leaves
nothing behind; the request's session commits or rolls back the whole unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.business_day import CHINA_STANDARD_TIME, back_dated
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.division_words import label, level_term, level_word
from canlian.common.errors import OutsideScope
from canlian.common.events.org_registry import (
    OrganisationDissolved,
    OrganisationEstablished,
    OrganisationKind,
    OrganisationStatus,
    SpecialCategory,
)
from canlian.org_registry.compliance.rules import applicable_rules
from canlian.org_registry.context import Context
from canlian.org_registry.divisions import repository as divisions_repository
from canlian.org_registry.divisions.models import Division
from canlian.org_registry.divisions.problems import LEVEL_EN, UnknownDivision
from canlian.org_registry.organisations import repository
from canlian.org_registry.organisations.models import Coverage, Organisation
from canlian.org_registry.organisations.placement import check_level
from canlian.org_registry.organisations.problems import (
    ActiveChildren,
    CoverageNotAllowed,
    CoverageNotVillage,
    CoverageOutsideTownship,
    DateInFuture,
    DemonstrationSiteByAcceptance,
    DissolvedBeforeEstablished,
    FederationExists,
    NoAssociationForGroup,
    OrganisationDissolvedAlready,
    OrganisationNotFound,
    SpecialAssociationExists,
    SpecialCategoryMismatch,
    VillageAlreadyCovered,
)
from canlian.org_registry.organisations.schemas import (
    DissolutionCreate,
    OrganisationCreate,
    OrganisationUpdate,
)
from canlian.org_registry.organisations.standardisation import apply_funds_minimum
from canlian.org_registry.organisations.versions import (
    audit,
    coverage_event,
    covered_villages,
    new_version,
    snapshot,
)
from canlian.org_registry.policies.repository import registry_values


async def get_organisation(session: AsyncSession, organisation_id: str) -> Organisation:
    found = await repository.organisation(session, organisation_id, with_coverage=True)
    if found is None:
        raise OrganisationNotFound(key=organisation_id)
    return found


async def readable(
    session: AsyncSession, principal: Principal, organisation_id: str
) -> Organisation:
    """An organisation the caller may read; one outside their region looks absent."""
    organisation = await get_organisation(session, organisation_id)
    if not principal.covers(organisation.division_code):
        raise OutsideScope(what="组织 / organisation")
    return organisation


async def establish(
    session: AsyncSession, context: Context, body: OrganisationCreate
) -> Organisation:
    principal = context.principal
    principal.ensure_covers(body.division_code)
    place = await divisions_repository.division(session, body.division_code)
    if place is None:
        raise UnknownDivision(division=body.division_code)
    kind = body.kind
    check_level(kind, place)
    if (kind == OrganisationKind.SPECIAL_ASSOCIATION) != (body.special_category is not None):
        raise SpecialCategoryMismatch()
    if body.established_on is not None and body.established_on > context.today:
        raise DateInFuture(field="established_on", value=body.established_on)
    villages: list[str] = []
    if kind == OrganisationKind.ASSOCIATION:
        villages = sorted({place.code, *body.covered_divisions})
        await _check_coverage(session, principal, place, villages, organisation_id=None)
    elif body.covered_divisions:
        raise CoverageNotAllowed()
    parent = await _expected_parent(session, kind, place, body.special_category)
    now = utcnow()
    standardisation = body.standardisation.model_dump()
    if standardisation["is_demonstration_site"]:
        raise DemonstrationSiteByAcceptance()
    organisation = Organisation(
        id=str(uuid.uuid4()),
        name=body.name,
        kind=kind.value,
        level=place.level,
        division_code=place.code,
        parent_id=parent.id if parent else None,
        special_category=body.special_category.value if body.special_category else None,
        status=OrganisationStatus.ESTABLISHED.value,
        established_on=body.established_on,
        dissolved_on=None,
        has_full_time_chair=False,
        has_disabled_cadre=False,
        leadership_compliant=False,
        version=1,
        created_at=now,
        updated_at=now,
        coverages=[
            # Without a founding date, coverage counts from the day it is registered.
            Coverage(
                village_code=village,
                started_on=body.established_on or context.today,
                active=True,
            )
            for village in villages
        ],
        **standardisation,
    )
    apply_funds_minimum(organisation, await registry_values(session), context.today)
    session.add(organisation)
    await session.flush()
    # No rule applies to some kinds (groups, enterprise associations): vacuously compliant.
    organisation.leadership_compliant = not applicable_rules(
        OrganisationKind(organisation.kind), organisation.level
    )
    after = snapshot(organisation)
    # An organisation registered with its founding date counts from that date.
    await context.outbox.add(
        session,
        OrganisationEstablished(
            **after.model_dump(),
            effective_on=back_dated(organisation.established_on, context.today),
        ),
    )
    if villages:
        await context.outbox.add(
            session, coverage_event(organisation, place.parent_code, added=villages, removed=[])
        )
    audit(session, context, "organisation.established", organisation, None, after.model_dump())
    if kind == OrganisationKind.FEDERATION:
        await _adopt_children(session, context, organisation)
    return organisation


async def _check_coverage(
    session: AsyncSession,
    principal: Principal,
    place: Division,
    villages: Sequence[str],
    *,
    organisation_id: str | None,
) -> None:
    found = await divisions_repository.divisions_by_code(session, villages)
    for village in villages:
        principal.ensure_covers(village)
        division = found.get(village)
        if division is None:
            raise UnknownDivision(division=village)
        if division.level != 5:
            raise CoverageNotVillage(
                village=label(village, division.name),
                level=LEVEL_EN[division.level],
                level_zh=level_term(division.name, division.level),
            )
        if division.parent_code != place.parent_code:
            ours, theirs = place.parent_code or "", division.parent_code or ""
            named = await divisions_repository.divisions_by_code(session, [ours, theirs])
            raise CoverageOutsideTownship(
                division=label(place.code, place.name),
                township=label(ours, named[ours].name if ours in named else None),
                village=label(village, division.name),
                other=label(theirs, named[theirs].name if theirs in named else None),
            )
    for coverage in await repository.active_coverage_of(session, villages):
        if coverage.organisation_id != organisation_id:
            other = await repository.organisation(session, coverage.organisation_id)
            covered = found.get(coverage.village_code)
            raise VillageAlreadyCovered(
                village=label(coverage.village_code, covered.name if covered else None),
                association=other.name if other else "",
                association_id=coverage.organisation_id,
            )


async def _expected_parent(
    session: AsyncSession,
    kind: OrganisationKind,
    place: Division,
    category: SpecialCategory | None,
) -> Organisation | None:
    if kind == OrganisationKind.GROUP:
        association = await repository.association_covering(session, place.code)
        if association is None:
            raise NoAssociationForGroup(
                division=label(place.code, place.name),
                word=level_word(place.name, place.level).removesuffix("级"),
            )
        return association
    if kind == OrganisationKind.FEDERATION:
        existing = await repository.active_federation_at(session, place.code)
        if existing is not None:
            raise FederationExists(
                division=label(place.code, place.name), name=existing.name, id=existing.id
            )
        above = [code for code in divisions.ancestors(place.code) if code != place.code]
        return await repository.nearest_federation(session, above)
    if kind == OrganisationKind.SPECIAL_ASSOCIATION and category is not None:
        existing = await repository.active_special_association(session, place.code, category)
        if existing is not None:
            raise SpecialAssociationExists(
                division=label(place.code, place.name),
                category=category.value,
                name=existing.name,
                id=existing.id,
            )
    return await repository.nearest_federation(session, divisions.lineage(place.code))


async def _adopt_children(
    session: AsyncSession, context: Context, federation: Organisation
) -> None:
    """Organisations registered before this federation now hang under it."""
    for child in await repository.adoptable(session, federation):
        before = snapshot(child).model_dump()
        child.parent_id = federation.id
        await new_version(session, context, child, "organisation.parent-assigned", before)


async def writable(
    session: AsyncSession, context: Context, organisation_id: str, precondition: Precondition
) -> Organisation:
    """An organisation the caller may change: within their region, at the version the caller
    read (locked until the request commits) and not dissolved."""
    organisation = await repository.organisation_for_update(session, organisation_id)
    if organisation is None:
        raise OrganisationNotFound(key=organisation_id)
    context.principal.ensure_covers(organisation.division_code)
    precondition.check(organisation.version)
    if organisation.status == OrganisationStatus.DISSOLVED.value:
        raise OrganisationDissolvedAlready(
            id=organisation.id, dissolved_on=organisation.dissolved_on
        )
    return organisation


async def update(
    session: AsyncSession,
    context: Context,
    organisation_id: str,
    body: OrganisationUpdate,
    precondition: Precondition,
) -> Organisation:
    organisation = await writable(session, context, organisation_id, precondition)
    before = snapshot(organisation).model_dump()
    if body.established_on is not None and body.established_on > context.today:
        raise DateInFuture(field="established_on", value=body.established_on)
    added: list[str] = []
    removed: list[str] = []
    if body.covered_divisions is not None:
        if organisation.kind != OrganisationKind.ASSOCIATION.value:
            raise CoverageNotAllowed()
        place = await divisions_repository.division(session, organisation.division_code)
        if place is None:
            raise UnknownDivision(division=organisation.division_code)
        wanted = sorted({place.code, *body.covered_divisions})
        await _check_coverage(
            session, context.principal, place, wanted, organisation_id=organisation.id
        )
        current = set(covered_villages(organisation))
        added = sorted(set(wanted) - current)
        removed = sorted(current - set(wanted))
        for coverage in organisation.coverages:
            if coverage.active and coverage.village_code in removed:
                coverage.active = False
                coverage.ended_on = context.today
        for village in added:
            organisation.coverages.append(
                Coverage(village_code=village, started_on=context.today, active=True)
            )
    if body.name is not None:
        organisation.name = body.name
    if body.established_on is not None:
        # Coverage registered with the organisation follows a corrected founding date.
        founded = (
            organisation.established_on
            or organisation.created_at.astimezone(CHINA_STANDARD_TIME).date()
        )
        for coverage in organisation.coverages:
            if coverage.active and coverage.started_on == founded:
                coverage.started_on = body.established_on
        organisation.established_on = body.established_on
    if body.standardisation is not None:
        if body.standardisation.is_demonstration_site and not organisation.is_demonstration_site:
            raise DemonstrationSiteByAcceptance()
        for name, value in body.standardisation.model_dump(exclude_unset=True).items():
            if value is not None or name == "yearly_activity_funds_yuan":
                setattr(organisation, name, value)
    await session.flush()
    if snapshot(organisation, version=organisation.version).model_dump() == before:
        return organisation  # nothing changed: no new version, no event
    await new_version(session, context, organisation, "organisation.changed", before)
    if added or removed:
        place = await divisions_repository.division(session, organisation.division_code)
        await context.outbox.add(
            session,
            coverage_event(
                organisation, place.parent_code if place else None, added=added, removed=removed
            ),
        )
    return organisation


async def dissolve(
    session: AsyncSession,
    context: Context,
    organisation_id: str,
    body: DissolutionCreate,
    precondition: Precondition,
) -> Organisation:
    organisation = await writable(session, context, organisation_id, precondition)
    if body.dissolved_on > context.today:
        raise DateInFuture(field="dissolved_on", value=body.dissolved_on)
    if organisation.established_on and body.dissolved_on < organisation.established_on:
        raise DissolvedBeforeEstablished(
            dissolved_on=body.dissolved_on, established_on=organisation.established_on
        )
    children = await repository.active_children_count(session, organisation.id)
    if children:
        raise ActiveChildren(id=organisation.id, count=children)
    before = snapshot(organisation).model_dump()
    removed = covered_villages(organisation)
    for coverage in organisation.coverages:
        if coverage.active:
            coverage.active = False
            coverage.ended_on = body.dissolved_on
    organisation.status = OrganisationStatus.DISSOLVED.value
    organisation.dissolved_on = body.dissolved_on
    organisation.version += 1
    organisation.updated_at = utcnow()
    await session.flush()
    after = snapshot(organisation)
    await context.outbox.add(
        session,
        OrganisationDissolved(
            **after.model_dump(), effective_on=back_dated(body.dissolved_on, context.today)
        ),
    )
    if removed:
        place = await divisions_repository.division(session, organisation.division_code)
        await context.outbox.add(
            session,
            coverage_event(
                organisation, place.parent_code if place else None, added=[], removed=removed
            ),
        )
    audit(
        session,
        context,
        "organisation.dissolved",
        organisation,
        before,
        {**after.model_dump(), "reason": body.reason},
    )
    return organisation
