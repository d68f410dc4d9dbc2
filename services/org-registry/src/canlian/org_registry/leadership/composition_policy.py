"""A region's composition minimums changed (seed 002's shares by default): each federation
under it is judged again against its current term with the minimums in force today; one whose
compliance moved gets a new version, its snapshot event and an audit row, so the leadership
answer, the questions and the metrics counter of compliant federations move together."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.events.org_registry import OrganisationKind
from canlian.common.policy_values.service import Change
from canlian.common.runtime import ServiceRuntime
from canlian.org_registry.compliance.rules import applicable_rules, evaluate, share_minimums
from canlian.org_registry.context import context_of
from canlian.org_registry.leadership import repository
from canlian.org_registry.leadership.service import apply_compliance, bodies_of
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.versions import new_version, snapshot

ACTION = "leadership.composition-minimums-applied"


async def reevaluate_composition(
    session: AsyncSession, runtime: ServiceRuntime, change: Change
) -> tuple[int, int]:
    """(federations re-checked, those whose compliance changed)."""
    context = context_of(runtime, change.principal)
    rechecked = changed = 0
    kind = OrganisationKind.FEDERATION
    for organisation in await organisations_repository.of_kind_under_for_update(
        session, divisions.prefix(change.division_code), kind
    ):
        rules = applicable_rules(kind, organisation.level)
        if not any(rule.endswith("-share") for rule in rules):
            continue
        rechecked += 1
        term = await repository.current_term(session, organisation.id, with_bodies=True)
        bodies = bodies_of(term)
        minimums = share_minimums(organisation.division_code, context.today, change.values)
        results = evaluate(kind, organisation.level, bodies, minimums)
        if all(result.met for result in results) == organisation.leadership_compliant:
            continue
        changed += 1
        before = snapshot(organisation).model_dump()
        apply_compliance(organisation, bodies, results)
        await new_version(session, context, organisation, ACTION, before)
    return rechecked, changed
