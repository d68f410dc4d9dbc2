"""Operations of the rollups are scoped like everything else: an administrator of a province
reconciles that province only; nation-wide reconciliation and parked events (which belong to
no province) need an administrator of national scope."""

from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.metrics.rollups.models import CounterValue
from canlian.testing.services import bearer, runtime_of

from .conftest import GANSU, Apply, envelope, organisation

pytestmark = pytest.mark.postgres

NINGXIA = "640000000000"
NINGXIA_VILLAGE = "640104100201"


@pytest.fixture
def gansu_admin(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.ADMIN], region=GANSU, subject="gs-admin")


async def test_a_provincial_administrator_reconciles_its_province_only(
    client: httpx.AsyncClient,
    rollback: FastAPI,
    apply: Apply,
    admin: dict[str, str],
    gansu_admin: dict[str, str],
    gansu: None,
) -> None:
    await apply(
        envelope(organisation("nx1", division=NINGXIA_VILLAGE), at=datetime(2015, 1, 1, tzinfo=UTC))
    )
    async with runtime_of(rollback).database.session() as session:
        await session.execute(
            update(CounterValue)
            .where(CounterValue.division_code == NINGXIA)
            .values(value=CounterValue.value + 7)
        )
    nation = await client.get("/v1/reconciliation", headers=admin)
    assert nation.status_code == 200, nation.text
    assert NINGXIA in {item["region"] for item in nation.json()["differences"]}

    province = await client.get("/v1/reconciliation", headers=gansu_admin)
    assert province.status_code == 200, province.text
    # Gansu's divisions and three associations; Ningxia's association is not counted.
    assert province.json()["entities"] == nation.json()["entities"] - 1
    assert province.json()["differences"] == []
    assert province.json()["counters"] < nation.json()["counters"]
    for within in ("000000000000", NINGXIA):
        refused = await client.get(
            "/v1/reconciliation", params={"within": within}, headers=gansu_admin
        )
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("/region-outside-scope")
    ningxia = await client.get("/v1/reconciliation", params={"within": NINGXIA}, headers=admin)
    assert ningxia.json()["entities"] == 1
    assert {item["region"] for item in ningxia.json()["differences"]} == {NINGXIA}


async def test_parked_events_need_an_administrator_of_national_scope(
    client: httpx.AsyncClient, admin: dict[str, str], gansu_admin: dict[str, str]
) -> None:
    for method, path in (("GET", "/v1/parked-events"), ("POST", "/v1/parked-events/replay")):
        refused = await client.request(method, path, headers=gansu_admin)
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("/national-scope-required")
        assert GANSU in refused.json()["detail"]
        assert (await client.request(method, path, headers=admin)).status_code == 200
