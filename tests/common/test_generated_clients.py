"""A client generated from each service's OpenAPI reads the service's 422 as a problem."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.generated_clients import generate_client, in_process_client

SERVICES = installed_services()


def _list_operation(app: FastAPI) -> tuple[str, str]:
    """(tag, operation id) of the first list operation with a `limit` and nothing required."""
    for item in app.openapi()["paths"].values():
        operation = item.get("get")
        parameters = operation.get("parameters", []) if operation else []
        if (
            operation
            and any(p["name"] == "limit" for p in parameters)
            and not any(p.get("required") for p in parameters)
        ):
            return operation["tags"][0], operation["operationId"]
    raise AssertionError("no list operation")


@pytest.mark.parametrize("descriptor", SERVICES, ids=[d.name for d in SERVICES])
async def test_a_422_reaches_the_generated_client_as_a_problem(
    descriptor: ServiceDescriptor, tmp_path: Path
) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    app: FastAPI = importlib.import_module(f"{descriptor.package}.app").create_app(settings)
    package = descriptor.schema + "_client"
    module = generate_client(app, tmp_path, package)
    tag, operation_id = _list_operation(app)
    operation: Any = importlib.import_module(
        f"{package}.api.{tag.replace('-', '_')}.{operation_id}"
    )
    token = auth.issue_token(
        settings, subject="portal-dev", roles=[auth.OFFICIAL, auth.ADMIN], region="620000000000"
    )
    client = in_process_client(module, app, token)
    response = await operation.asyncio_detailed(client=client, limit=0)
    problem_type = importlib.import_module(f"{package}.models").Problem
    assert response.status_code == 422
    assert isinstance(response.parsed, problem_type), response.content
    assert response.parsed.status == 422
    assert [error.field for error in response.parsed.errors] == ["query.limit"]
