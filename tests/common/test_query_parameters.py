"""Every route of a service refuses query parameters it does not declare."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.services import api_client, bearer

SERVICES = {descriptor.name: descriptor for descriptor in installed_services()}


def _app(name: str, data_dir: Path) -> FastAPI:
    module = importlib.import_module(f"{SERVICES[name].package}.app")
    settings = PlatformSettings(canlian_data_dir=data_dir, canlian_run_workers=False)
    app: FastAPI = module.create_app(settings)
    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    headers = bearer(settings, roles=[auth.OFFICIAL], region="620102000000")
    app = _app("members", tmp_path)
    async with app.router.lifespan_context(app), api_client(app, headers) as client:
        yield client


async def test_an_unknown_query_parameter_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/members", params={"division": "620102000000"})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/unknown-query-parameter")
    assert "division" in problem["detail"]
    assert [error["field"] for error in problem["errors"]] == ["query.division"]


async def test_declared_parameters_pass(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/members", params={"limit": "5"})
    assert response.status_code == 200, response.text


async def test_health_has_no_parameters_to_check(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz", params={"probe": "1"})).status_code == 200


def test_every_operation_documents_the_422(tmp_path: Path) -> None:
    for name in SERVICES:
        schema = _app(name, tmp_path).openapi()
        missing = [
            f"{method} {path}"
            for path, item in schema["paths"].items()
            for method, operation in item.items()
            if path not in ("/healthz", "/readyz") and "422" not in operation["responses"]
        ]
        assert missing == [], name


async def test_region_is_the_name_and_the_old_ones_are_aliases() -> None:
    from canlian.common.query_parameters import (
        ConflictingQueryAliases,
        region_or_division,
        region_or_within,
    )

    assert await region_or_within(region="620102", within=None) == "620102"
    assert await region_or_within(region=None, within="620102") == "620102"
    assert await region_or_within(region="620102", within="620102") == "620102"
    assert await region_or_division(region=None, division=None) is None
    with pytest.raises(ConflictingQueryAliases):
        await region_or_division(region="620102", division="620103")
