from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth, citizen_id
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import (
    OrganisationDissolved,
    OrganisationEstablished,
    OrganisationKind,
    OrganisationStatus,
)
from canlian.common.settings import PlatformSettings
from canlian.members.app import create_app, service_descriptor
from canlian.members.service import apply_organisation_events
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
