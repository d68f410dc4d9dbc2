import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.events.base import CloudEvent, DomainEvent
from canlian.common.events.org_registry import (
    OrganisationChanged,
    OrganisationDissolved,
    OrganisationEstablished,
    OrganisationKind,
    OrganisationStatus,
    Standardisation,
)
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app, service_descriptor
from canlian.metrics.contributions import mappers
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.rollups import consumer as rollups_consumer
from canlian.metrics.rollups import denominators
from canlian.metrics.settings import MetricsSettings
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back, runtime_of

GANSU = "620000000000"
LANZHOU = "620100000000"
CHENGGUAN = "620102000000"  # 城关区
QILIHE = "620103000000"  # 七里河区
TOWNSHIP = "620102001000"
VILLAGE_A = "620102001001"
VILLAGE_B = "620102001002"
VILLAGE_C = "620103001001"


@pytest.fixture(scope="session")
async def metrics_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = MetricsSettings(**postgres_settings.model_dump())
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings, run_consumer=False)
    yield app
    await runtime_of(app).database.dispose()


@pytest.fixture
async def rollback(metrics_app: FastAPI) -> AsyncIterator[FastAPI]:
    async with rolled_back(metrics_app):
        yield metrics_app


@pytest.fixture
async def client(rollback: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(rollback) as client:
        yield client


@pytest.fixture
def official(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=GANSU, subject="gansu")


@pytest.fixture
def admin(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.ADMIN], region="000000000000", subject="root")


def envelope(event: DomainEvent, *, at: datetime | None = None, **changes: Any) -> CloudEvent:
    wrapped = CloudEvent.wrap(event, source="/canlian/test")
    if at is not None:
        changes["time"] = at
    return wrapped.model_copy(update=changes) if changes else wrapped


def organisation(
    organisation_id: str,
    *,
    version: int = 1,
    kind: OrganisationKind = OrganisationKind.ASSOCIATION,
    division: str = VILLAGE_A,
    level: int = 5,
    covered: Sequence[str] = (),
    status: OrganisationStatus = OrganisationStatus.ESTABLISHED,
    event: type[OrganisationEstablished] | None = None,
    **flags: Any,
) -> OrganisationEstablished | OrganisationChanged | OrganisationDissolved:
    standardisation = {
        key: flags.pop(key) for key in list(flags) if key in Standardisation.model_fields
    }
    chosen: type[OrganisationEstablished | OrganisationChanged | OrganisationDissolved]
    if event is not None:
        chosen = event
    elif status is OrganisationStatus.DISSOLVED:
        chosen = OrganisationDissolved
    else:
        chosen = OrganisationEstablished if version == 1 else OrganisationChanged
    return chosen(
        organisation_id=organisation_id,
        version=version,
        name="测试组织",
        kind=kind,
        level=level,
        division_code=division,
        covered_divisions=list(covered),
        status=status,
        standardisation=Standardisation(**standardisation),
        **flags,
    )


Apply = Callable[..., Any]


@pytest.fixture
def apply(rollback: FastAPI) -> Apply:
    """Run the consumer's handler on events in one unit of work (as the runner does)."""

    async def run(*events: CloudEvent | DomainEvent) -> None:
        wrapped = [item if isinstance(item, CloudEvent) else envelope(item) for item in events]
        async with runtime_of(rollback).database.session() as session:
            await rollups_consumer.rollup_events(session, wrapped)

    return run


@pytest.fixture
def counters(rollback: FastAPI) -> Callable[..., Any]:
    async def read(code: str) -> dict[str, int]:

        async with runtime_of(rollback).database.session() as session:
            return await regions_repository.counters_of_division(session, code)

    return read


def now() -> datetime:
    return datetime.now(UTC)


async def own_database(base: PlatformSettings, **overrides: Any) -> MetricsSettings:
    """A fresh database on the test server with the metrics schema: for tests that commit."""
    from sqlalchemy import text

    from canlian.common.db.database import create_engine

    name = f"metrics_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, "metrics")
    async with admin.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = (base.database_url or "").rsplit("/", 1)[0] + f"/{name}"
    settings = MetricsSettings(**{**base.model_dump(), "database_url": url, **overrides})
    await rebuild_schema(service_descriptor, settings)
    return settings


# Two counties of Gansu with names, for the API tests.
COVERAGE = "grassroots-organisation-coverage"


QILIHE_TOWNSHIP = "620103001000"


VILLAGE_D = "620103001002"


VILLAGE_E = "620103001003"


DIVISIONS = [
    (GANSU, "甘肃省", 1, "000000000000"),
    (LANZHOU, "兰州市", 2, GANSU),
    (CHENGGUAN, "城关区", 3, LANZHOU),
    (QILIHE, "七里河区", 3, LANZHOU),
    (TOWNSHIP, "甲街道", 4, CHENGGUAN),
    (QILIHE_TOWNSHIP, "乙街道", 4, QILIHE),
    (VILLAGE_A, "一社区", 5, TOWNSHIP),
    (VILLAGE_B, "二社区", 5, TOWNSHIP),
    (VILLAGE_C, "三社区", 5, QILIHE_TOWNSHIP),
    (VILLAGE_D, "四社区", 5, QILIHE_TOWNSHIP),
    (VILLAGE_E, "五社区", 5, QILIHE_TOWNSHIP),
]


@pytest.fixture
async def gansu(rollback: FastAPI, apply: Apply) -> None:
    """Two counties: Chengguan's two villages both covered, one of Qilihe's three."""
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(session, [mappers.DivisionRow(*row) for row in DIVISIONS])
    await apply(
        envelope(organisation("a1"), at=datetime(2012, 5, 1, tzinfo=UTC)),
        envelope(organisation("a2", division=VILLAGE_B), at=datetime(2014, 5, 1, tzinfo=UTC)),
        envelope(organisation("a3", division=VILLAGE_C), at=datetime(2014, 6, 1, tzinfo=UTC)),
    )


async def create_plan(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    body = {
        "code": "gs-12th",
        "name": "十二五",
        "region": "62",
        "start_year": 2011,
        "end_year": 2015,
        "midterm_year": 2013,
    }
    response = await client.post("/v1/plans", json=body, headers=headers)
    assert response.status_code == 201, response.text
    targets = {
        "targets": [
            {
                "indicator": COVERAGE,
                "region": GANSU,
                "comparator": "ge",
                "final_value": 100,
                "midterm_value": 60,
            },
            {"indicator": COVERAGE, "region": QILIHE, "comparator": "ge", "final_value": 50},
        ]
    }
    response = await client.put("/v1/plans/gs-12th/targets", json=targets, headers=headers)
    assert response.status_code == 200, response.text


def by_indicator(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(item for item in body["indicators"] if item["indicator"] == code)
