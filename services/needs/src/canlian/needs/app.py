"""The needs service: `uvicorn --factory canlian.needs.app:create_app`.

Composes the concepts' routers and the consumers of the members service's events (the
committee members who visit) and of the volunteers service's (referred needs served).
Concepts built on others: `visits` uses `households`, `committee_members` and `needs`;
`needs` uses `households` and `platforms`; `reconciliation` reads them all.
"""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.events import members, volunteers
from canlian.common.events import needs as needs_events
from canlian.common.policy_values.routes import policy_router
from canlian.common.runtime import ConsumerSpec, PeriodicJob
from canlian.common.settings import PlatformSettings, load_settings
from canlian.needs.committee_members import service as committee_members_service
from canlian.needs.committee_members.routes import router as committee_members
from canlian.needs.households.routes import router as households
from canlian.needs.me.routes import router as me
from canlian.needs.models import Base
from canlian.needs.needs import escalation, volunteer_outcomes
from canlian.needs.needs.routes import router as needs
from canlian.needs.platforms.routes import router as platforms
from canlian.needs.policies.models import POLICY_VALUES
from canlian.needs.policies.repository import OWNER
from canlian.needs.reconciliation.routes import router as reconciliation
from canlian.needs.settings import NeedsSettings
from canlian.needs.visits.routes import router as visits

service_descriptor = ServiceDescriptor(
    name="needs",
    schema="needs",
    title="服务需求与转介 / Service needs and referral",
    default_port=8006,
    package="canlian.needs",
)

DESCRIPTION = """\
服务需求与转介:一户一档、入户访视、需求采集(访视、12385热线、网络信访、来访、志愿者)、
评估转介、服务平台、服务效果评价与满意度。个人信息加密存储、默认脱敏。
Household files, home visits, needs from every channel, assessment and referral, service
platforms, feedback and satisfaction. Personal data encrypted at rest and masked.
"""

# The members service's committee members reach this service only through its events.
COMMITTEE_MEMBERS_CONSUMER = ConsumerSpec(
    "needs-committee-members", [members.TOPIC], committee_members_service.apply_appointment_events
)
# Needs referred to the volunteers close when that service announces them served.
VOLUNTEER_OUTCOMES_CONSUMER = ConsumerSpec(
    volunteer_outcomes.CONSUMER, [volunteers.TOPIC], volunteer_outcomes.apply_volunteer_events
)

# A changed visit interval reaches a household's schedule at its next change or visit.
POLICIES = policy_router(OWNER, POLICY_VALUES, needs_events.PolicyValueSet)
ROUTERS = [
    households,
    visits,
    needs,
    platforms,
    POLICIES,
    committee_members,
    reconciliation,
    me,
]


def create_app(settings: PlatformSettings | None = None) -> FastAPI:
    if settings is None:
        settings = load_settings(NeedsSettings)
    elif not isinstance(settings, NeedsSettings):
        settings = NeedsSettings.model_validate(settings.model_dump())
    return create_service_app(
        service_descriptor,
        settings,
        Base.metadata,
        ROUTERS,
        consumers=[COMMITTEE_MEMBERS_CONSUMER, VOLUNTEER_OUTCOMES_CONSUMER],
        # Overdue needs go to the level above once a day, wherever they are.
        periodic_jobs=[
            PeriodicJob(
                escalation.JOB, settings.escalation_check_seconds, escalation.escalate_daily
            )
        ],
        description=DESCRIPTION,
    )
