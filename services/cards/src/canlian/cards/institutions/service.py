"""Domain rules of designated assessment institutions: designated by a city or county for the
applicants living there; an assessment must name an active one serving the applicant."""

from __future__ import annotations

from canlian.cards.context import Context
from canlian.cards.institutions import repository
from canlian.cards.institutions.models import Institution
from canlian.cards.institutions.problems import (
    InstitutionAlreadyDesignated,
    InstitutionNotDesignated,
)
from canlian.cards.institutions.schemas import InstitutionCreate
from canlian.cards.regions import ensure_level
from canlian.cards.versioning import touch
from canlian.common import divisions
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope


async def designate_institution(ctx: Context, data: InstitutionCreate) -> Institution:
    ctx.principal.ensure_covers(data.division_code)
    ensure_level(data.division_code, divisions.DivisionLevel.CITY, "division_code", "指定地区")
    name = data.name.strip()
    existing = await repository.institution_named(ctx.session, data.division_code, name)
    if existing is not None:
        raise InstitutionAlreadyDesignated(institution_id=existing.id)
    now = utcnow()
    institution = Institution(
        name=name,
        division_code=data.division_code,
        active=True,
        version=1,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(institution)
    await ctx.session.flush()
    return institution


async def institution_serving(ctx: Context, institution_id: int) -> Institution:
    """An institution serving the caller's region: designated inside it or above it (as the
    list shows them); any other answers 404."""
    institution = await repository.get_institution(ctx.session, institution_id)
    region = ctx.principal.region
    if institution is None or not (
        divisions.is_within(institution.division_code, region)
        or divisions.is_within(region, institution.division_code)
    ):
        raise OutsideScope(what="评定机构 / institution")
    return institution


async def revoke_institution(
    ctx: Context, institution_id: int, precondition: Precondition
) -> Institution:
    institution = await repository.get_institution(ctx.session, institution_id, lock=True)
    if institution is None or not ctx.principal.covers(institution.division_code):
        raise OutsideScope(what="评定机构 / institution")
    precondition.check(institution.version)
    if institution.active:
        institution.active = False
        touch(institution)
        await ctx.session.flush()
    return institution


async def designated_for(ctx: Context, institution_id: int, division_code: str) -> Institution:
    """The institution, if it is active and designated for `division_code` (or above it)."""
    institution = await repository.get_institution(ctx.session, institution_id)
    if (
        institution is None
        or not institution.active
        or not divisions.is_within(division_code, institution.division_code)
    ):
        raise InstitutionNotDesignated(institution_id=institution_id, division_code=division_code)
    return institution
