"""The members service: `uvicorn --factory canlian.members.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import load_settings
from canlian.members.models import Base
from canlian.members.routes import router
from canlian.members.settings import MembersSettings

service_descriptor = ServiceDescriptor(
    name="members",
    schema="members",
    title="专职委员 / Committee members",
    default_port=8002,
    package="canlian.members",
)


def create_app(settings: MembersSettings | None = None) -> FastAPI:
    return create_service_app(
        service_descriptor,
        settings or load_settings(MembersSettings),
        Base.metadata,
        [router],
        description="Real-name archive of full-time committee members and disability workers.",
    )
