"""Every JSON request body has an example in the OpenAPI document, and it is valid: fed back
through the route's own pydantic model it passes every rule the service applies."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ValidationError

from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.openapi_contract import operation_id
from canlian.common.request_examples import example_of
from canlian.common.settings import PlatformSettings

SERVICES = installed_services()


def _app(descriptor: ServiceDescriptor, data_dir: Path) -> FastAPI:
    module = importlib.import_module(f"{descriptor.package}.app")
    app: FastAPI = module.create_app(PlatformSettings(canlian_data_dir=data_dir))
    return app


def _bodies(app: FastAPI) -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.body_field is not None:
            model = route.body_field.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):
                found[operation_id(route)] = model
    return found


def _example(schema: dict[str, Any], content: dict[str, Any]) -> Any:
    if "example" in content:
        return content["example"]
    ref = content["schema"]["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][ref]["examples"][0]


@pytest.mark.parametrize("descriptor", SERVICES, ids=[d.name for d in SERVICES])
def test_every_json_body_has_a_valid_example(descriptor: ServiceDescriptor, tmp_path: Path) -> None:
    app = _app(descriptor, tmp_path)
    schema = app.openapi()
    models = _bodies(app)
    invalid: list[str] = []
    checked = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content is None:
                continue
            example = _example(schema, content)
            try:
                models[operation["operationId"]].model_validate(example)
            except ValidationError as error:
                invalid.append(f"{method.upper()} {path}: {example} {error.errors()}")
            checked += 1
    assert invalid == []
    assert checked > 0


def test_a_built_example_follows_the_schema() -> None:
    components = {
        "Slot": {
            "type": "object",
            "required": ["weekday"],
            "properties": {"weekday": {"type": "integer", "minimum": 1, "maximum": 7}},
        }
    }
    schema = {
        "type": "object",
        "required": ["name", "slots", "kind", "count"],
        "properties": {
            "name": {"type": "string"},
            "slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}},
            "kind": {"enum": ["smart", "second_generation"]},
            "count": {"type": "integer", "exclusiveMinimum": 0, "maximum": 3},
            "hidden": {"type": "string"},
        },
    }
    assert example_of(schema, components) == {
        "name": "王秀英",
        "slots": [{"weekday": 1}],
        "kind": "smart",
        "count": 1,
    }
