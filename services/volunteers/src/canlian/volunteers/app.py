"""The volunteers service: `uvicorn --factory canlian.volunteers.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import PlatformSettings, load_settings
from canlian.volunteers.models import Base
from canlian.volunteers.routes import router
from canlian.volunteers.settings import VolunteersSettings

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


def create_app(settings: PlatformSettings | None = None) -> FastAPI:
    if settings is None:
        settings = load_settings(VolunteersSettings)
    elif not isinstance(settings, VolunteersSettings):
        settings = VolunteersSettings.model_validate(settings.model_dump())
    return create_service_app(
        service_descriptor,
        settings,
        Base.metadata,
        [router],
        description=DESCRIPTION,
    )
