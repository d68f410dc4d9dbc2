"""The members service: `uvicorn --factory canlian.members.app:create_app`.

Composes the concepts' routers and the registry's consumer. Lower concepts do not know the ones
built on them; where a change must be followed above, the app wires it: an organisation that
moves division moves the posts held there, a profile change republishes the held appointments.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.events import org_registry
from canlian.common.events.base import CloudEvent
from canlian.common.events.members import PolicyValueSet
from canlian.common.policy_values.daily import in_force_job
from canlian.common.policy_values.read_model import keep_values
from canlian.common.policy_values.routes import policy_router
from canlian.common.policy_values.service import Change
from canlian.common.rules import denominators
from canlian.common.runtime import ConsumerSpec, ServiceRuntime
from canlian.common.settings import PlatformSettings, load_settings
from canlian.members.appointments import allowance_policy, seat_policy
from canlian.members.appointments import responses as appointments_responses
from canlian.members.appointments import routes as appointments_routes
from canlian.members.appointments import service as appointments_service
from canlian.members.archive import routes as archive_routes
from canlian.members.assessments import routes as assessments_routes
from canlian.members.models import Base
from canlian.members.organisations import routes as organisations_routes
from canlian.members.organisations import service as organisations_service
from canlian.members.policies.models import IN_FORCE_RUNS, POLICY_VALUES
from canlian.members.policies.repository import OWNER
from canlian.members.reconciliation import routes as reconciliation_routes
from canlian.members.recruitment import routes as recruitment_routes
from canlian.members.roster import routes as roster_routes
from canlian.members.roster.jobs import ROSTER_IMPORT
from canlian.members.settings import MembersSettings
from canlian.members.staffing import routes as staffing_routes
from canlian.members.talent import routes as talent_routes
from canlian.members.training import routes as training_routes

service_descriptor = ServiceDescriptor(
    name="members",
    schema="members",
    title="专职委员 / Committee members",
    default_port=8002,
    package="canlian.members",
)


def _denominator_value(envelope: CloudEvent) -> bool:
    """A registry value of whether development zones or virtual communities count (the only
    registry parameters members reads)."""
    if not envelope.known:
        return False
    payload = envelope.payload()
    return isinstance(payload, org_registry.PolicyValueSet) and payload.parameter in {
        parameter.name for parameter in denominators.PARAMETERS
    }


async def apply_organisation_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """Consumer `members-organisations`: the registry's snapshots update the read model (and
    its policy values are kept beside members' own: the staffing report reads whether
    development zones count, rules.denominators), the posts held at an organisation that
    moved division move with it, and those at an
    association whose villages changed are announced again with the places they serve."""
    await keep_values(session, POLICY_VALUES, [e for e in events if _denominator_value(e)])
    for moved in await organisations_service.apply_organisation_snapshots(session, events):
        if moved.moved:
            await appointments_service.follow_division_change(
                session, moved.organisation_id, moved.division_code
            )
        else:
            await appointments_service.follow_coverage_change(session, moved.organisation_id)


# The registry's organisations reach this service only through its events.
ORGANISATIONS_CONSUMER = ConsumerSpec(
    "members-organisations", [org_registry.TOPIC], apply_organisation_events
)


async def reevaluate(
    session: AsyncSession, runtime: ServiceRuntime, change: Change
) -> tuple[int, int]:
    """The post rule re-judges village members' allowances; a seats parameter, the seats."""
    if change.parameter in allowance_policy.PARAMETERS:
        return await allowance_policy.reevaluate_allowances(session, runtime, change)
    return await seat_policy.reevaluate_seats(session, runtime, change)


ROUTERS = (
    archive_routes.router,
    appointments_routes.router,
    assessments_routes.router,
    recruitment_routes.router,
    training_routes.router,
    organisations_routes.router,
    staffing_routes.router,
    talent_routes.router,
    roster_routes.router,
    reconciliation_routes.router,
    # The parameters members owns; a region's change re-checks what each one governs.
    policy_router(OWNER, POLICY_VALUES, PolicyValueSet, reevaluate),
)


def create_app(settings: PlatformSettings | None = None) -> FastAPI:
    settings = settings or load_settings(MembersSettings)
    app = create_service_app(
        service_descriptor,
        settings,
        Base.metadata,
        ROUTERS,
        consumers=[ORGANISATIONS_CONSUMER],
        import_kinds=[ROSTER_IMPORT],
        # A value set for a later date re-checks what it governs on that date, once a day.
        periodic_jobs=[
            in_force_job(
                OWNER,
                POLICY_VALUES,
                IN_FORCE_RUNS,
                reevaluate,
                settings.policies_in_force_check_seconds,
            )
        ],
        description=(
            "专职委员和残疾人工作者实名制管理档案:聘任、考核、培训、人才库、花名册导入。\n\n"
            "Real-name archive of full-time committee members and disability workers: "
            "appointments, annual assessment, training, talent pool, roster import."
        ),
    )
    app.state.profile_followers = (appointments_service.republish_held_appointments,)
    app.state.selection_reader = appointments_responses.selections_of
    return app
