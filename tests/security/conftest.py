"""A small service built with the kit (`create_service_app`, the probe's tables) plus routes
that exercise what the kit gives routes: uploads, look-ups, unmasked reads, a bug."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel
from starlette.responses import Response

from canlian.cards.app import create_app as create_cards_app
from canlian.cards.app import service_descriptor as cards_descriptor
from canlian.cards.settings import CardsSettings
from canlian.common import audit, auth
from canlian.common.app_factory import create_service_app
from canlian.common.db.migrations import upgrade
from canlian.common.dependencies import Idempotent, Session, runtime_of
from canlian.common.rate_limit import LOOKUPS
from canlian.common.settings import PlatformSettings
from canlian.common.tabular_import import read_upload
from canlian.members.app import create_app as create_members_app
from canlian.members.app import service_descriptor as members_descriptor
from canlian.metrics.app import create_app as create_metrics_app
from canlian.metrics.app import service_descriptor as metrics_descriptor
from canlian.metrics.settings import MetricsSettings
from canlian.org_registry.app import create_app as create_org_registry_app
from canlian.org_registry.app import service_descriptor as org_registry_descriptor
from canlian.org_registry.cli import load_divisions
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.probe.app import router as probe_router
from canlian.testing.probe.app import service_descriptor
from canlian.testing.probe.models import Base
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back
from canlian.volunteers.app import create_app as create_volunteers_app
from canlian.volunteers.app import service_descriptor as volunteers_descriptor

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
router = APIRouter(prefix="/v1")


class Lookup(BaseModel):
    citizen_id: str


@router.post("/uploads", status_code=201)
async def upload(request: Request, principal: Official, idempotent: Idempotent) -> Response:
    content, filename = await read_upload(request)
    digest = hashlib.sha256(content).hexdigest()
    return await idempotent.respond({"bytes": len(content), "name": filename, "sha256": digest})


@router.post("/echo")
async def echo(body: dict[str, Any], principal: Official) -> dict[str, int]:
    return {"keys": len(body)}


@router.post("/lookups")
async def lookup(
    body: Lookup, request: Request, session: Session, principal: Official
) -> dict[str, bool]:
    runtime = runtime_of(request)
    await runtime.rate_limiter.hit(principal, LOOKUPS, session=session)
    await audit.record_lookup(
        session, runtime.tables, principal, object_type="probe.person", object_id=None
    )
    await runtime.rate_limiter.miss(principal, session=session)
    return {"found": False}


@router.get("/secrets/{secret_id}")
async def secret(
    secret_id: str,
    request: Request,
    session: Session,
    principal: Official,
    reason: audit.AccessReason = None,
) -> dict[str, str]:
    await audit.record_unmasked_read(
        session,
        runtime_of(request).tables,
        principal,
        object_type="probe.secret",
        object_id=secret_id,
        reason=reason,
    )
    return {"secret": "s3cret"}


@router.get("/boom")
async def boom(principal: Official) -> None:
    raise RuntimeError("a bug")


def build_app(settings: PlatformSettings) -> FastAPI:
    return create_service_app(service_descriptor, settings, Base.metadata, [probe_router, router])


@pytest.fixture(scope="session")
async def security_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, postgres_settings)
    app = build_app(postgres_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
async def client(security_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(security_app), api_client(security_app) as client:
        yield client


@pytest.fixture
async def embedded_app(embedded_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await upgrade(service_descriptor, embedded_settings)
    app = build_app(embedded_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
def official(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region="620000000000")


# The cards and members services themselves, for the service-level regression tests.
@pytest.fixture(scope="session")
async def cards_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = CardsSettings(**postgres_settings.model_dump())
    await upgrade(cards_descriptor, settings)
    app = create_cards_app(settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture(scope="session")
async def members_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await upgrade(members_descriptor, postgres_settings)
    app = create_members_app(postgres_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
async def cards_client(cards_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(cards_app), api_client(cards_app) as client:
        yield client


@pytest.fixture
async def members_client(members_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(members_app), api_client(members_app) as client:
        yield client


# The other three services, for the tests that go through every service's API.
@pytest.fixture(scope="session")
async def org_registry_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = OrgRegistrySettings.model_validate(postgres_settings.model_dump())
    await rebuild_schema(org_registry_descriptor, settings)
    await load_divisions(settings, "64")  # Ningxia: division changes need real divisions
    app = create_org_registry_app(settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture(scope="session")
async def volunteers_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await upgrade(volunteers_descriptor, postgres_settings)
    app = create_volunteers_app(postgres_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture(scope="session")
async def metrics_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = MetricsSettings(**postgres_settings.model_dump())
    await upgrade(metrics_descriptor, settings)
    app = create_metrics_app(settings, run_consumer=False)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
async def org_registry_client(org_registry_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(org_registry_app), api_client(org_registry_app) as client:
        yield client


@pytest.fixture
async def volunteers_client(volunteers_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(volunteers_app), api_client(volunteers_app) as client:
        yield client


@pytest.fixture
async def metrics_client(metrics_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(metrics_app), api_client(metrics_app) as client:
        yield client
