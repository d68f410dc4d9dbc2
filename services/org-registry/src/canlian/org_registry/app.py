"""The org-registry service: `uvicorn --factory canlian.org_registry.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import load_settings
from canlian.org_registry.models import Base
from canlian.org_registry.routes import router
from canlian.org_registry.settings import OrgRegistrySettings

service_descriptor = ServiceDescriptor(
    name="org-registry",
    schema="org_registry",
    title="组织机构 / Organisation registry",
    default_port=8001,
    package="canlian.org_registry",
)


def create_app(settings: OrgRegistrySettings | None = None) -> FastAPI:
    return create_service_app(
        service_descriptor,
        settings or load_settings(OrgRegistrySettings),
        Base.metadata,
        [router],
        description="Registry of divisions, federations, associations, leadership and terms.",
    )
