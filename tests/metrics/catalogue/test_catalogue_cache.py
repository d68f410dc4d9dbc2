"""The indicator catalogue each process keeps for the read paths: a change made in this process
is read at once, one made elsewhere within the time to live, one rolled back never."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.db.database import Database
from canlian.common.db.metadata import utcnow
from canlian.common.settings import PlatformSettings
from canlian.metrics.catalogue import cache
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.catalogue import service as catalogue_service
from canlian.metrics.catalogue.models import Indicator
from canlian.testing.services import runtime_of

from ..conftest import GANSU, Apply, organisation, own_database

pytestmark = pytest.mark.postgres
CUSTOM = "association-office-share"
BODY: dict[str, Any] = {
    "code": CUSTOM,
    "name_zh": "有办公场所的协会占比",
    "name_en": "Associations with an office",
    "kind": "derived",
    "unit": "percent",
    "numerator": "associations.office",
    "denominator": "associations",
    "factor": 100,
}


@pytest.fixture(autouse=True)
def fresh_catalogue() -> Iterator[None]:
    # Each test's changes are rolled back (or live in its own database): keep no copy of them.
    cache.forget_catalogue()
    yield
    cache.forget_catalogue()


def codes(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["indicator"] for item in response.json()["indicators"]]


async def test_an_indicator_added_in_this_process_is_read_at_once(
    client: httpx.AsyncClient, official: dict[str, str], admin: dict[str, str], apply: Apply
) -> None:
    await apply(organisation("a1", has_office=True))
    before = await client.get(f"/v1/regions/{GANSU}/indicators", headers=official)
    assert CUSTOM not in codes(before)  # and the catalogue is now cached
    created = await client.post("/v1/indicators", json=BODY, headers=admin)
    assert created.status_code == 201, created.text
    after = await client.get(f"/v1/regions/{GANSU}/indicators", headers=official)
    assert codes(after)[-1] == CUSTOM
    assert after.json()["indicators"][-1]["value"] == 100.0
    drill = await client.get(f"/v1/regions/{GANSU}/indicators/{CUSTOM}/children", headers=official)
    assert drill.status_code == 200, drill.text
    assert drill.json()["indicator"]["code"] == CUSTOM


async def test_an_indicator_added_elsewhere_is_read_within_the_time_to_live(
    rollback: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = runtime_of(rollback).database
    async with database.session() as session:
        assert CUSTOM not in (await cache.catalogue(session)).by_code
        # As another process would: straight to the table, this process's copy untouched.
        session.add(
            Indicator(
                **BODY,
                description="",
                source="custom",
                position=999,
                built_in=False,
                created_at=utcnow(),
            )
        )
    async with database.session() as session:
        assert CUSTOM not in (await cache.catalogue(session)).by_code
        # A request naming it reads the catalogue again rather than answer "unknown".
        assert await cache.catalogue_indicator(session, CUSTOM) is not None
    cache.forget_catalogue()
    async with database.session() as session:
        assert CUSTOM in (await cache.catalogue(session)).by_code
    monkeypatch.setattr(cache, "CATALOGUE_TTL_SECONDS", 0.0)
    async with database.session() as session:
        await session.delete(await session.get_one(Indicator, CUSTOM))
    async with database.session() as session:
        assert CUSTOM not in (await cache.catalogue(session)).by_code


async def test_a_rolled_back_indicator_is_never_kept(rollback: FastAPI) -> None:
    database = runtime_of(rollback).database
    async with database.sessionmaker() as session:
        await catalogue_service.create_indicator(session, catalogue_schemas.IndicatorCreate(**BODY))
        # The unit of work that added it reads its own catalogue...
        assert CUSTOM in (await cache.catalogue(session)).by_code
        await session.rollback()
    # ...which nobody else ever reads.
    async with database.session() as session:
        assert CUSTOM not in (await cache.catalogue(session)).by_code


async def test_others_see_an_addition_once_it_is_committed(
    postgres_settings: PlatformSettings,
) -> None:
    settings = await own_database(postgres_settings)
    database = Database(settings, "metrics")
    try:
        async with database.session() as adding:
            await catalogue_service.create_indicator(
                adding, catalogue_schemas.IndicatorCreate(**BODY)
            )
            assert CUSTOM in (await cache.catalogue(adding)).by_code
            async with database.session() as other:
                # Another request on its own connection sees neither the addition nor a copy
                # holding it before it is committed.
                assert CUSTOM not in (await cache.catalogue(other)).by_code
        async with database.session() as session:
            assert CUSTOM in (await cache.catalogue(session)).by_code
    finally:
        await database.dispose()
