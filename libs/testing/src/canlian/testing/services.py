"""Helpers to test a service's app against a real database, each test rolled back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import select, text

from canlian.common import auth, divisions
from canlian.common.db.database import create_engine
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import DivisionChanged, DivisionChangeKind
from canlian.common.runtime import ServiceRuntime
from canlian.common.settings import PlatformSettings


async def rebuild_schema(descriptor: ServiceDescriptor, settings: PlatformSettings) -> None:
    """Drop the service's schema and build it again with its Alembic migrations."""
    engine = create_engine(settings, descriptor.schema)
    try:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as connection:
                await connection.execute(
                    text(f'DROP SCHEMA IF EXISTS "{descriptor.schema}" CASCADE')
                )
    finally:
        await engine.dispose()
    await upgrade(descriptor, settings)


def runtime_of(app: FastAPI) -> ServiceRuntime:
    runtime: ServiceRuntime = app.state.runtime
    return runtime


@asynccontextmanager
async def rolled_back(app: FastAPI) -> AsyncIterator[None]:
    """Run every session of the app inside one transaction that is rolled back at the end."""
    database = runtime_of(app).database
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        database.bind_to(connection)
        try:
            yield
        finally:
            database.bind_to_engine()
            await transaction.rollback()


def bearer(
    settings: PlatformSettings,
    *,
    roles: Iterable[str] = (auth.OFFICIAL,),
    region: str = "000000000000",
    subject: str = "tester",
    scopes: Iterable[str] = (),
) -> dict[str, str]:
    token = auth.issue_token(settings, subject=subject, roles=roles, region=region, scopes=scopes)
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def api_client(
    app: FastAPI, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client (no lifespan: no relay or consumers run in API tests)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as client:
        yield client


async def if_match(
    client: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> dict[str, str]:
    """What a client does before a write: read the object and send its ETag back."""
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return {**(headers or {}), "If-Match": response.headers["ETag"]}


async def outbox_events(app: FastAPI) -> list[CloudEvent]:
    """Every event in the service's outbox, in the order written."""
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        rows = await session.execute(
            select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
        )
        return [CloudEvent.model_validate_json(row.envelope) for row in rows]


async def name_divisions(app: FastAPI, names: Mapping[str, str]) -> None:
    """What the registry's `DivisionChanged` events do to a service that keeps division names:
    each code renamed to its name, through the service's own consumer."""
    runtime = runtime_of(app)
    (spec,) = [s for s in runtime.consumer_specs if s.name.endswith("-division-names")]
    events = [
        CloudEvent.wrap(
            DivisionChanged(
                change_id=str(number),
                version=1,
                change=DivisionChangeKind.RENAMED,
                code=code,
                level=int(divisions.level_of(code)),
                parent_code=divisions.parent(code),
                effective_on=date(2026, 1, 1),
                name=name,
            ),
            source="/canlian/org-registry",
        )
        for number, (code, name) in enumerate(names.items(), start=1)
    ]
    async with runtime.database.session() as session:
        await spec.handler(session, events)
