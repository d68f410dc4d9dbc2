"""Every change of an organisation is a new version: its snapshot (the state the events
carry), the snapshot event, and the audit row with the state before and after."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import utcnow
from canlian.common.events.org_registry import (
    CoverageChanged,
    OrganisationChanged,
    OrganisationKind,
    OrganisationSnapshot,
    OrganisationStatus,
    SpecialCategory,
)
from canlian.common.log import current_request_id
from canlian.org_registry.context import Context
from canlian.org_registry.organisations import repository
from canlian.org_registry.organisations.models import ChangeRecord, Organisation
from canlian.org_registry.organisations.standardisation import (
    apply_funds_minimum,
    standardisation_of,
)
from canlian.org_registry.policies.repository import registry_values


def snapshot(organisation: Organisation, *, version: int | None = None) -> OrganisationSnapshot:
    return OrganisationSnapshot(
        organisation_id=organisation.id,
        version=version or organisation.version,
        name=organisation.name,
        kind=OrganisationKind(organisation.kind),
        level=organisation.level,
        division_code=organisation.division_code,
        covered_divisions=covered_villages(organisation),
        parent_organisation_id=organisation.parent_id,
        special_category=(
            SpecialCategory(organisation.special_category)
            if organisation.special_category
            else None
        ),
        status=OrganisationStatus(organisation.status),
        established_on=organisation.established_on,
        dissolved_on=organisation.dissolved_on,
        standardisation=standardisation_of(organisation),
        has_full_time_chair=organisation.has_full_time_chair,
        has_disabled_cadre=organisation.has_disabled_cadre,
        leadership_compliant=organisation.leadership_compliant,
        activity_funds_minimum_yuan=organisation.activity_funds_minimum_yuan,
    )


def covered_villages(organisation: Organisation) -> list[str]:
    return sorted(item.village_code for item in organisation.coverages if item.active)


async def new_version(
    session: AsyncSession,
    context: Context,
    organisation: Organisation,
    action: str,
    before: dict[str, Any],
    *,
    detail_before: dict[str, Any] | None = None,
    detail_after: dict[str, Any] | None = None,
) -> OrganisationSnapshot:
    """A new version: the snapshot event and the audit row (with what the snapshot omits);
    a special association's funds are judged by the minimum in force today."""
    apply_funds_minimum(organisation, await registry_values(session), context.today)
    organisation.version += 1
    organisation.updated_at = utcnow()
    await session.flush()
    after = snapshot(organisation)
    await context.outbox.add(session, OrganisationChanged(**after.model_dump()))
    audit(
        session,
        context,
        action,
        organisation,
        {**before, **(detail_before or {})},
        {**after.model_dump(), **(detail_after or {})},
    )
    return after


def coverage_event(
    organisation: Organisation, township: str | None, *, added: list[str], removed: list[str]
) -> CoverageChanged:
    return CoverageChanged(
        organisation_id=organisation.id,
        version=organisation.version,
        division_code=organisation.division_code,
        township_code=township,
        covered_divisions=covered_villages(organisation),
        added=added,
        removed=removed,
    )


def audit(
    session: AsyncSession,
    context: Context,
    action: str,
    organisation: Organisation,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=utcnow(),
            actor=context.principal.subject,
            actor_region=context.principal.region,
            action=action,
            object_type="organisation",
            object_id=organisation.id,
            division_code=organisation.division_code,
            before=json.dumps(before, ensure_ascii=False, default=str) if before else None,
            after=json.dumps(after, ensure_ascii=False, default=str) if after else None,
            request_id=current_request_id(),
        ),
    )
