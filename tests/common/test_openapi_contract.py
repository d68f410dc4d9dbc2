"""Every service's OpenAPI documents the problems it answers with, as they are on the wire."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.openapi_contract import PROBLEM_JSON
from canlian.common.settings import PlatformSettings
from canlian.testing.services import api_client, bearer

SERVICES = installed_services()
PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _app(descriptor: ServiceDescriptor, data_dir: Path) -> FastAPI:
    module = importlib.import_module(f"{descriptor.package}.app")
    app: FastAPI = module.create_app(PlatformSettings(canlian_data_dir=data_dir))
    return app


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


@pytest.fixture(params=SERVICES, ids=[descriptor.name for descriptor in SERVICES])
def schema(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    document: dict[str, Any] = _app(request.param, tmp_path).openapi()
    return document


def test_every_error_response_is_a_problem(schema: dict[str, Any]) -> None:
    wrong = [
        f"{method.upper()} {path} {code}"
        for path, method, operation in _operations(schema)
        for code, response in operation["responses"].items()
        if code[0] in "45"
        and response.get("content")
        != {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    ]
    assert wrong == []
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_operations_document_what_they_can_answer(schema: dict[str, Any]) -> None:
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert {"500"} <= codes, (method, path)
        if operation.get("security"):
            assert {"401", "403", "503"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "put", "patch", "delete"):
            assert {"404", "409", "413", "422"} <= codes, (method, path)


def test_operation_ids_are_readable_and_unique(schema: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(schema)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", op) for op in ids), ids
    assert not [op for op in ids if "_v1_" in op or op.endswith(("_get", "_post"))], ids


def test_bearer_tokens_are_documented_as_jwt(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"].values()
    assert [scheme.get("bearerFormat") for scheme in schemes] == ["JWT"]


async def test_a_422_on_the_wire_matches_the_documented_problem(tmp_path: Path) -> None:
    descriptor = next(d for d in SERVICES if d.name == "cards")
    app = _app(descriptor, tmp_path)
    schema = app.openapi()
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    headers = bearer(settings, roles=[auth.OFFICIAL], region="620102000000")
    async with api_client(app, headers) as client:
        response = await client.get("/v1/persons", params={"limit": "many"})
    assert_documented_problem(schema, "/v1/persons", "get", response)


def assert_documented_problem(
    schema: dict[str, Any], path: str, method: str, response: httpx.Response
) -> None:
    code = str(response.status_code)
    documented = schema["paths"][path][method]["responses"]
    assert code in documented, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    document = {
        "$ref": "#/components/schemas/Problem",
        "components": {"schemas": schema["components"]["schemas"]},
    }
    jsonschema.validate(response.json(), document, cls=jsonschema.Draft202012Validator)


async def test_a_body_that_is_not_utf8_is_a_documented_400(tmp_path: Path) -> None:
    # Found by the stateful fuzzer: FastAPI answers 400 for a body it cannot decode.
    descriptor = next(d for d in SERVICES if d.name == "cards")
    app = _app(descriptor, tmp_path)
    schema = app.openapi()
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    headers = bearer(settings, roles=[auth.OFFICIAL], region="620102000000")
    async with api_client(app, headers) as client:
        response = await client.post(
            "/v1/transfer-requests/1/reject",
            content=b'{"reason": "\xc4\x8c\xff"}',
            headers={"Content-Type": "application/json", "If-Match": '"1"'},
        )
    assert response.status_code == 400, response.text
    assert_documented_problem(
        schema, "/v1/transfer-requests/{transfer_request_id}/reject", "post", response
    )


def test_every_operation_that_needs_a_token_says_which_roles(schema: dict[str, Any]) -> None:
    silent = [
        f"{method.upper()} {path}"
        for path, method, operation in _operations(schema)
        if operation.get("security")
        and not re.match(r"\*\*权限 / Access\*\*: 角色 / role `", operation.get("description", ""))
    ]
    assert silent == []


def _documented_roles(operation: dict[str, Any]) -> set[str]:
    first = operation["description"].split("(`admin`", 1)[0]
    return set(re.findall(r"`([a-z-]+)`", first))


@pytest.mark.parametrize("descriptor", SERVICES, ids=[d.name for d in SERVICES])
async def test_the_documented_roles_are_the_gate(
    descriptor: ServiceDescriptor, tmp_path: Path
) -> None:
    """A token holding every role but those documented is refused (403 missing-role) by each
    list the service answers: the description names the roles the code checks."""
    app = _app(descriptor, tmp_path)
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    checked = 0
    async with api_client(app) as client:
        for path, method, operation in _operations(app.openapi()):
            if method != "get" or "{" in path or not operation.get("security"):
                continue
            documented = _documented_roles(operation)
            others = sorted(set(auth.ALL_ROLES) - documented - {auth.ADMIN})
            assert documented, path
            headers = bearer(settings, roles=others, region="620102000000")
            response = await client.get(path, headers=headers)
            assert response.status_code == 403, (path, response.text)
            assert response.json()["type"].endswith("/missing-role"), path
            checked += 1
    assert checked > 0
