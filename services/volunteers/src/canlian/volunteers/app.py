"""The volunteers service: `uvicorn --factory canlian.volunteers.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import load_settings
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


def create_app(settings: VolunteersSettings | None = None) -> FastAPI:
    return create_service_app(
        service_descriptor,
        settings or load_settings(VolunteersSettings),
        Base.metadata,
        [router],
        description="Volunteer registration, matching, service records and recognition.",
    )
