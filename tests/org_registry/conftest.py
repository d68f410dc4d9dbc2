"""The org-registry app on the real PostgreSQL with Ningxia (64, 3,199 divisions) loaded once;
each API test runs in a transaction that is rolled back."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.org_registry.app import create_app, service_descriptor
from canlian.org_registry.cli import load_divisions
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back

NINGXIA = "640000000000"
YINCHUAN = "640100000000"
XINGQING = "640104000000"  # 兴庆区, 16 townships, 148 villages


def registry_settings(base: PlatformSettings) -> OrgRegistrySettings:
    return OrgRegistrySettings.model_validate(base.model_dump())


@pytest.fixture(scope="session")
async def org_settings(postgres_settings: PlatformSettings) -> OrgRegistrySettings:
    settings = registry_settings(postgres_settings)
    await rebuild_schema(service_descriptor, settings)
    await load_divisions(settings, "64")
    return settings


@pytest.fixture(scope="session")
async def org_app(org_settings: OrgRegistrySettings) -> AsyncIterator[FastAPI]:
    app = create_app(org_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
async def client(org_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(org_app), api_client(org_app) as client:
        yield client


@pytest.fixture
def official(org_settings: OrgRegistrySettings) -> dict[str, str]:
    """An official of Ningxia's federation."""
    return bearer(org_settings, roles=[auth.OFFICIAL], region=NINGXIA, subject="nx-official")


@pytest.fixture
def county_official(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.OFFICIAL], region=XINGQING, subject="xq-official")
