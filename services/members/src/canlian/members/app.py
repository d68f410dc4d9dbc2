"""The members service: `uvicorn --factory canlian.members.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.events import org_registry
from canlian.common.runtime import ConsumerSpec
from canlian.common.settings import PlatformSettings, load_settings
from canlian.members.models import Base
from canlian.members.routes import router
from canlian.members.service import apply_organisation_events
from canlian.members.settings import MembersSettings

service_descriptor = ServiceDescriptor(
    name="members",
    schema="members",
    title="专职委员 / Committee members",
    default_port=8002,
    package="canlian.members",
)

# The registry's organisations reach this service only through its events.
ORGANISATIONS_CONSUMER = ConsumerSpec(
    "members-organisations", [org_registry.TOPIC], apply_organisation_events
)


def create_app(settings: PlatformSettings | None = None) -> FastAPI:
    return create_service_app(
        service_descriptor,
        settings or load_settings(MembersSettings),
        Base.metadata,
        [router],
        consumers=[ORGANISATIONS_CONSUMER],
        description=(
            "专职委员和残疾人工作者实名制管理档案:聘任、考核、培训、人才库、花名册导入。\n\n"
            "Real-name archive of full-time committee members and disability workers: "
            "appointments, annual assessment, training, talent pool, roster import."
        ),
    )
