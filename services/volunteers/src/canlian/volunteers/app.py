"""The volunteers service: `uvicorn --factory canlian.volunteers.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.events import needs as needs_events
from canlian.common.runtime import ConsumerSpec
from canlian.common.settings import PlatformSettings, load_settings
from canlian.volunteers.me.routes import router as me
from canlian.volunteers.models import Base
from canlian.volunteers.needs import referrals
from canlian.volunteers.needs.routes import router as needs
from canlian.volunteers.recognition.routes import router as recognition
from canlian.volunteers.reconciliation.routes import router as reconciliation
from canlian.volunteers.registration.jobs import VOLUNTEERS_IMPORT
from canlian.volunteers.registration.routes import router as registration
from canlian.volunteers.reports.routes import router as reports
from canlian.volunteers.service_records.routes import router as service_records
from canlian.volunteers.settings import VolunteersSettings
from canlian.volunteers.stations.routes import router as stations
from canlian.volunteers.volunteers.routes import router as volunteers

service_descriptor = ServiceDescriptor(
    name="volunteers",
    schema="volunteers",
    title="助残志愿者 / Volunteers",
    default_port=8004,
    package="canlian.volunteers",
)

DESCRIPTION = """\
助残志愿者:招募注册、服务对接、服务记录、评价激励。
Volunteer registration, matching, service records and recognition.

Volunteers use the mobile app with a token of role `volunteer` whose `sub` is their
volunteer id; they see only their own data under `/v1/me`. The identity provider issues
those tokens; in embedded mode issue one with
`canlian token --role volunteer --subject <new id> --region <division>` and register with
`POST /v1/me/registration` (the volunteer id is the token's `sub`). A volunteer registered
by a station gets the id in the response; issue their token with `--subject <that id>`.
"""

# The needs service's referrals to the volunteers reach this service only through its events.
REFERRALS_CONSUMER = ConsumerSpec(
    referrals.CONSUMER, [needs_events.TOPIC], referrals.apply_need_events
)

# The mobile app's own side first, then officials' concepts.
ROUTERS = [
    me,
    service_records,
    stations,
    registration,
    volunteers,
    recognition,
    needs,
    reports,
    reconciliation,
]


def create_app(settings: PlatformSettings | None = None) -> FastAPI:
    if settings is None:
        settings = load_settings(VolunteersSettings)
    elif not isinstance(settings, VolunteersSettings):
        settings = VolunteersSettings.model_validate(settings.model_dump())
    return create_service_app(
        service_descriptor,
        settings,
        Base.metadata,
        ROUTERS,
        consumers=[REFERRALS_CONSUMER],
        import_kinds=[VOLUNTEERS_IMPORT],
        description=DESCRIPTION,
    )
