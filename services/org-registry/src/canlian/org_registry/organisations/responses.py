"""Response bodies built from stored organisations (shared with the questions)."""

from __future__ import annotations

from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.organisations.schemas import OrganisationRead, OrganisationSummary
from canlian.org_registry.organisations.standardisation import failing_items
from canlian.org_registry.organisations.versions import snapshot


def organisation_read(organisation: Organisation) -> OrganisationRead:
    current = snapshot(organisation)
    return OrganisationRead(
        id=organisation.id,
        version=organisation.version,
        name=organisation.name,
        kind=current.kind,
        level=organisation.level,
        division_code=organisation.division_code,
        parent_organisation_id=organisation.parent_id,
        special_category=current.special_category,
        status=current.status,
        established_on=organisation.established_on,
        dissolved_on=organisation.dissolved_on,
        covered_divisions=current.covered_divisions,
        standardisation=current.standardisation,
        failing_items=failing_items(organisation),
        has_full_time_chair=organisation.has_full_time_chair,
        has_disabled_cadre=organisation.has_disabled_cadre,
        leadership_compliant=organisation.leadership_compliant,
        created_at=organisation.created_at,
        updated_at=organisation.updated_at,
    )


def summary(organisation: Organisation) -> OrganisationSummary:
    return OrganisationSummary(
        id=organisation.id,
        name=organisation.name,
        kind=OrganisationKind(organisation.kind),
        level=organisation.level,
        division_code=organisation.division_code,
        status=OrganisationStatus(organisation.status),
        parent_organisation_id=organisation.parent_id,
    )
