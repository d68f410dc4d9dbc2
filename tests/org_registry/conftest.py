"""The org-registry app on the real PostgreSQL with Ningxia (64, 3,199 divisions) loaded once;
each API test runs in a transaction that is rolled back."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.db.metadata import platform_tables
from canlian.common.events.base import CloudEvent
from canlian.common.settings import PlatformSettings
from canlian.metrics import app as metrics_service
from canlian.metrics.reconciliation import service as reconciliation
from canlian.metrics.reconciliation.sources import Source, fetch_snapshots
from canlian.metrics.rollups import consumer
from canlian.metrics.settings import MetricsSettings
from canlian.org_registry.app import create_app, service_descriptor
from canlian.org_registry.cli import load_divisions
from canlian.org_registry.models import Base
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back, runtime_of

NINGXIA = "640000000000"
YINCHUAN = "640100000000"
XINGQING = "640104000000"  # 兴庆区, 16 townships, 148 villages
ZHANGZHENG = "640104100000"  # 掌政镇
DAXIN = "640104101000"  # 大新镇
ZHANGZHENG_VILLAGE = "640104100200"  # 掌政村委会
CHUNLIN = "640104100201"  # 春林村委会
WALU = "640104100202"  # 洼路村委会
XINYUE = "640104101004"  # 新悦社区居委会 in 大新镇


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


@pytest.fixture(scope="module")
async def metrics_app(org_settings: OrgRegistrySettings) -> AsyncIterator[FastAPI]:
    """The metrics service on the same database: what the registry's snapshots reconcile."""
    settings = MetricsSettings(**org_settings.model_dump())
    await rebuild_schema(metrics_service.service_descriptor, settings)
    app = metrics_service.create_app(settings, run_consumer=False)
    yield app
    await runtime_of(app).database.dispose()


@pytest.fixture
async def metrics(metrics_app: FastAPI) -> AsyncIterator[FastAPI]:
    async with rolled_back(metrics_app):
        yield metrics_app


@pytest.fixture
def official(org_settings: OrgRegistrySettings) -> dict[str, str]:
    """An official of Ningxia's federation."""
    return bearer(org_settings, roles=[auth.OFFICIAL], region=NINGXIA, subject="nx-official")


@pytest.fixture
def county_official(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.OFFICIAL], region=XINGQING, subject="xq-official")


# Helpers the tests of several concepts share.


async def get_json(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: str
) -> Any:
    response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def record_change(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], status: int = 201
) -> Any:
    response = await client.post("/v1/division-changes", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def register(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
    status: int = 201,
    **fields: Any,
) -> dict[str, Any]:
    """POST /v1/organisations with `body` and/or `fields`, expecting `status`."""
    response = await client.post(
        "/v1/organisations", json={**(body or {}), **fields}, headers=headers
    )
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


async def hold_term(
    client: httpx.AsyncClient, headers: dict[str, str], organisation_id: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/organisations/{organisation_id}/terms", json=body, headers=headers
    )


async def event_data(app: FastAPI, suffix: str) -> list[dict[str, Any]]:
    """The data of the outbox's events whose type ends with `suffix`, oldest first."""
    outbox = platform_tables(Base.metadata).outbox
    async with runtime_of(app).database.session() as session:
        rows = await session.scalars(
            select(outbox.c.envelope)
            .where(outbox.c.event_type.endswith(suffix))
            .order_by(outbox.c.seq)
        )
        return [json.loads(row)["data"] for row in rows]


async def roll_up(metrics: FastAPI, events: list[CloudEvent]) -> None:
    """The metrics rollups apply the events, as their consumer does."""
    async with runtime_of(metrics).database.session() as session:
        await consumer.rollup_events(session, events)


async def reconciled(
    client: httpx.AsyncClient, metrics: FastAPI, source: Source, headers: dict[str, str]
) -> list[tuple[str, str]]:
    """What `canlian metrics reconcile` finds in 兴庆区 between the source's snapshots and the
    rollups: (entity, problem) pairs, the entity without its kind."""
    token = headers["Authorization"].removeprefix("Bearer ")
    snapshots = await fetch_snapshots(client, source, token, XINGQING)
    async with runtime_of(metrics).database.session() as session:
        found = await reconciliation.compare_with_source(session, source.kind, snapshots, XINGQING)
    return [(item.entity.removeprefix(f"{source.kind}:"), item.problem) for item in found]
