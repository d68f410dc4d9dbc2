"""The cards service: `uvicorn --factory canlian.cards.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from canlian.cards.applications.routes import router as applications_router
from canlian.cards.cards.routes import router as cards_router
from canlian.cards.institutions.routes import router as institutions_router
from canlian.cards.legacy_import.jobs import CARDS_IMPORT
from canlian.cards.legacy_import.routes import router as legacy_import_router
from canlian.cards.models import Base
from canlian.cards.persons.routes import router as persons_router
from canlian.cards.reconciliation.routes import router as reconciliation_router
from canlian.cards.reports.routes import router as reports_router
from canlian.cards.settings import CardsSettings
from canlian.cards.transfers.routes import router as transfers_router
from canlian.cards.verification.routes import router as verification_router
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

ROUTERS = [
    persons_router,
    institutions_router,
    applications_router,
    cards_router,
    transfers_router,
    reconciliation_router,
    verification_router,
    reports_router,
    legacy_import_router,
]


def create_app(settings: CardsSettings | None = None) -> FastAPI:
    return create_service_app(
        service_descriptor,
        settings or load_settings(CardsSettings),
        Base.metadata,
        ROUTERS,
        import_kinds=[CARDS_IMPORT],
        description=(
            "残疾人证从申请、评定、审核、发证到换领、补办、变更、迁移、注销的全过程,以及其他平台的"
            "核验。个人信息默认脱敏。 / Disability cards from application to cancellation, and "
            "verification for other portals; personal data masked by default."
        ),
    )
