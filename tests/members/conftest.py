import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common import auth, citizen_id
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import (
    OrganisationDissolved,
    OrganisationEstablished,
    OrganisationKind,
    OrganisationStatus,
)
from canlian.common.settings import PlatformSettings
from canlian.members.app import apply_organisation_events, create_app, service_descriptor
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back, runtime_of

COUNTY = "620102000000"  # 兰州市城关区
TOWNSHIP = "620102001000"
VILLAGE = "620102001001"
VILLAGE_2 = "620102001002"
OTHER_TOWNSHIP = "620102002000"
OTHER_VILLAGE = "620102002001"

SeedOrganisation = Callable[..., Awaitable[None]]


def make_citizen_id(sequence: int, *, born: str = "19800101", area: str = "620102") -> str:
    first17 = f"{area}{born}{sequence % 1000:03d}"
    return first17 + citizen_id.check_digit(first17)


@pytest.fixture(scope="session")
async def members_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, postgres_settings)
    app = create_app(postgres_settings)
    yield app
    await runtime_of(app).database.dispose()


@pytest.fixture
async def client(members_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(members_app), api_client(members_app) as client:
        yield client


@pytest.fixture
def official(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=COUNTY, subject="clerk")


def organisation_event(
    organisation_id: str,
    *,
    division_code: str = VILLAGE,
    level: int = 5,
    kind: OrganisationKind = OrganisationKind.ASSOCIATION,
    version: int = 1,
    dissolved: bool = False,
    covered: Sequence[str] = (),
    name: str = "残协",
) -> CloudEvent:
    event_type = OrganisationDissolved if dissolved else OrganisationEstablished
    event = event_type(
        organisation_id=organisation_id,
        version=version,
        name=name,
        kind=kind,
        level=level,
        division_code=division_code,
        covered_divisions=list(covered),
        status=OrganisationStatus.DISSOLVED if dissolved else OrganisationStatus.ESTABLISHED,
        established_on=date(2020, 1, 1),
        dissolved_on=date(2024, 1, 1) if dissolved else None,
    )
    return CloudEvent.wrap(event, source="/canlian/org-registry")


@pytest.fixture
def seed_organisation(members_app: FastAPI) -> SeedOrganisation:
    """Feed registry events to the consumer's handler, as the consumer runner would."""

    async def seed(organisation_id: str, **fields: object) -> None:
        async with runtime_of(members_app).database.session() as session:
            await apply_organisation_events(
                session,
                [organisation_event(organisation_id, **fields)],  # type: ignore[arg-type]
            )

    return seed


def member_body(sequence: int = 1, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "kind": "committee_member",
        "division_code": VILLAGE,
        "name": "张三丰",
        "citizen_id": make_citizen_id(sequence),
        "phone": "13912345678",
        "disability_relation": "disabled",
        "disability_category": 4,
        "disability_grade": 3,
        "education": "60",
    }
    body.update(overrides)
    return body


def appointment_body(organisation_id: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "organisation_id": organisation_id,
        "post": "committee_member",
        "selection_method": "open_examination",
        "contract_start": "2025-01-01",
        "contract_end": "2027-12-31",
        "public_welfare_post": False,
        "monthly_allowance_yuan": "100.00",
        "social_insurance_subsidy": False,
        "status": "active",
    }
    body.update(overrides)
    return body


# Helpers the concept tests share.


async def count_rows(app: FastAPI, model: type[object]) -> int:
    async with runtime_of(app).database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def outbox_envelopes(app: FastAPI) -> list[dict[str, Any]]:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        rows = await session.scalars(
            select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
        )
        return [json.loads(row) for row in rows]


async def register(
    client: httpx.AsyncClient, headers: dict[str, str], sequence: int, **body: object
) -> int:
    response = await client.post("/v1/members", json=member_body(sequence, **body), headers=headers)
    assert response.status_code == 201, response.text
    member_id: int = response.json()["id"]
    return member_id


async def appoint(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    sequence: int,
    organisation_id: str,
    division_code: str = VILLAGE,
    **appointment: object,
) -> dict[str, object]:
    member = await client.post(
        "/v1/members", json=member_body(sequence, division_code=division_code), headers=headers
    )
    assert member.status_code == 201, member.text
    response = await client.post(
        f"/v1/members/{member.json()['id']}/appointments",
        json=appointment_body(organisation_id, **appointment),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def all_pages(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: str
) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await client.get(path, params=query, headers=headers)
        assert page.status_code == 200, page.text
        items.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items
