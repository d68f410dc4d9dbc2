"""The cards service: `uvicorn --factory canlian.cards.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.cards.models import Base
from canlian.cards.routes import router
from canlian.cards.settings import CardsSettings
from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import load_settings

service_descriptor = ServiceDescriptor(
    name="cards",
    schema="cards",
    title="残疾人证 / Disability cards",
    default_port=8003,
    package="canlian.cards",
)


def create_app(settings: CardsSettings | None = None) -> FastAPI:
    return create_service_app(
        service_descriptor,
        settings or load_settings(CardsSettings),
        Base.metadata,
        [router],
        description=(
            "残疾人证从申请、评定、审核、发证到换领、补办、变更、迁移、注销的全过程,以及其他平台的"
            "核验。个人信息默认脱敏。 / Disability cards from application to cancellation, and "
            "verification for other portals; personal data masked by default."
        ),
    )
