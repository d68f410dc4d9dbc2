"""The org-registry service: `uvicorn --factory canlian.org_registry.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.events.org_registry import PolicyValueSet
from canlian.common.policy_values.daily import in_force_job
from canlian.common.policy_values.routes import policy_router
from canlian.common.policy_values.service import Change
from canlian.common.rules import denominators
from canlian.common.runtime import ServiceRuntime
from canlian.common.settings import load_settings
from canlian.org_registry.acceptance.routes import router as acceptance_router
from canlian.org_registry.budget_reviews.routes import router as budget_reviews_router
from canlian.org_registry.commendations.routes import router as commendations_router
from canlian.org_registry.commendations.rules import CYCLE_PARAMETER_NAMES
from canlian.org_registry.compliance.rules import SHARE_PARAMETERS
from canlian.org_registry.division_changes.routes import router as division_changes_router
from canlian.org_registry.divisions.routes import router as divisions_router
from canlian.org_registry.leadership import composition_policy
from canlian.org_registry.leadership.routes import router as leadership_router
from canlian.org_registry.midterm_reviews.routes import router as midterm_reviews_router
from canlian.org_registry.models import Base
from canlian.org_registry.organisations import funds_policy
from canlian.org_registry.organisations.routes import router as organisations_router
from canlian.org_registry.policies.models import IN_FORCE_RUNS, POLICY_VALUES
from canlian.org_registry.policies.repository import OWNER
from canlian.org_registry.questions.routes import router as questions_router
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.org_registry.staff.routes import router as staff_router

STAFF_PARAMETERS = (policy.DISABLED_CADRE_SHARE, policy.GRASSROOTS_DAYS_MINIMUM)

service_descriptor = ServiceDescriptor(
    name="org-registry",
    schema="org_registry",
    title="组织机构 / Organisation registry",
    default_port=8001,
    package="canlian.org_registry",
)


async def reevaluate(
    session: AsyncSession, runtime: ServiceRuntime, change: Change
) -> tuple[int, int]:
    """A funds minimum re-judges special associations; a composition share, federations. The
    staff parameters are read where they are used (the composition report, each year's days),
    and a commendation cycle judges only rounds opened later, so nothing stored goes stale."""
    if change.parameter in STAFF_PARAMETERS or change.parameter.name in CYCLE_PARAMETER_NAMES:
        return 0, 0
    # Whether zones and virtual communities count is read by each question on its date;
    # metrics restates its denominators from the announced value.
    if change.parameter in denominators.PARAMETERS:
        return 0, 0
    if change.parameter in SHARE_PARAMETERS.values():
        return await composition_policy.reevaluate_composition(session, runtime, change)
    return await funds_policy.reevaluate_funds(session, runtime, change)


ROUTERS = [
    divisions_router,
    division_changes_router,
    organisations_router,
    leadership_router,
    budget_reviews_router,
    midterm_reviews_router,
    acceptance_router,
    commendations_router,
    questions_router,
    staff_router,
    # The parameters the registry owns; a region's change re-judges what each one governs.
    policy_router(OWNER, POLICY_VALUES, PolicyValueSet, reevaluate),
]


def create_app(settings: OrgRegistrySettings | None = None) -> FastAPI:
    settings = settings or load_settings(OrgRegistrySettings)
    return create_service_app(
        service_descriptor,
        settings,
        Base.metadata,
        ROUTERS,
        # A value set for a later date re-judges what it governs on that date, once a day.
        periodic_jobs=[
            in_force_job(
                OWNER,
                POLICY_VALUES,
                IN_FORCE_RUNS,
                reevaluate,
                settings.policies_in_force_check_seconds,
            )
        ],
        description="Registry of divisions, federations, associations, leadership and terms.",
    )
