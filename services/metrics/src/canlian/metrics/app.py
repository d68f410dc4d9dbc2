"""The metrics service: `uvicorn --factory canlian.metrics.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import load_settings
from canlian.metrics.models import Base
from canlian.metrics.routes import router
from canlian.metrics.settings import MetricsSettings

service_descriptor = ServiceDescriptor(
    name="metrics",
    schema="metrics",
    title="规划指标 / Plan indicators",
    default_port=8005,
    package="canlian.metrics",
)


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    return create_service_app(
        service_descriptor,
        settings or load_settings(MetricsSettings),
        Base.metadata,
        [router],
        description="Plan indicators rolled up live from village to nation.",
    )
