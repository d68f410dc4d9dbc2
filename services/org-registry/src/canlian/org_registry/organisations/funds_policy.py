"""A region's funds minimum changed: each special association under it is judged again by the
minimum in force today, and one whose minimum moved gets a new version, its snapshot event and
an audit row (as the allowance minimum re-checks appointments), so the registry's questions
and the metrics counters move together."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.events.org_registry import OrganisationKind
from canlian.common.policy_values.service import Change
from canlian.common.rules import special_associations
from canlian.common.runtime import ServiceRuntime
from canlian.org_registry.context import context_of
from canlian.org_registry.organisations import repository
from canlian.org_registry.organisations.versions import new_version, snapshot

ACTION = "organisation.funds-minimum-applied"


async def reevaluate_funds(
    session: AsyncSession, runtime: ServiceRuntime, change: Change
) -> tuple[int, int]:
    """(special associations re-checked, those whose minimum in force changed)."""
    context = context_of(runtime, change.principal)
    rechecked = changed = 0
    for organisation in await repository.of_kind_under_for_update(
        session, divisions.prefix(change.division_code), OrganisationKind.SPECIAL_ASSOCIATION
    ):
        if special_associations.MINIMUM_PARAMETERS.get(organisation.level) != change.parameter:
            continue
        rechecked += 1
        minimum = special_associations.minimum_in_force(
            organisation.level, organisation.division_code, context.today, change.values
        )
        if minimum == organisation.activity_funds_minimum_yuan:
            continue
        changed += 1
        before = snapshot(organisation).model_dump()
        await new_version(session, context, organisation, ACTION, before)
    return rechecked, changed
