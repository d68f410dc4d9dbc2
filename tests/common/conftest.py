from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.settings import PlatformSettings
from canlian.testing.probe.app import create_app, service_descriptor
from canlian.testing.services import api_client, rebuild_schema, rolled_back


@pytest.fixture(scope="session")
async def probe_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, postgres_settings)
    app = create_app(postgres_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
async def client(probe_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(probe_app), api_client(probe_app) as client:
        yield client
