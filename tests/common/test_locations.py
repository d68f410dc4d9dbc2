"""Every 201 names what it created: a documented `Location` that a GET of the service reads."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.locations import LOCATION_KEY, created, location, template_names
from canlian.common.settings import PlatformSettings

SERVICES = installed_services()
# Imports answer a report of the rows, not an object to read (import jobs will change them).
NOT_AN_OBJECT = re.compile(r"^/v1/imports/")


def _schema(descriptor: ServiceDescriptor, data_dir: Path) -> dict[str, Any]:
    module = importlib.import_module(f"{descriptor.package}.app")
    document: dict[str, Any] = module.create_app(
        PlatformSettings(canlian_data_dir=data_dir)
    ).openapi()
    return document


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _properties(schema: dict[str, Any], response: dict[str, Any]) -> set[str]:
    body = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = body.get("$ref", "")
    if not ref:
        return set()
    return set(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]].get("properties", {}))


@pytest.mark.parametrize("descriptor", SERVICES, ids=[d.name for d in SERVICES])
def test_every_201_documents_a_location_a_get_reads(
    descriptor: ServiceDescriptor, tmp_path: Path
) -> None:
    schema = _schema(descriptor, tmp_path)
    readable = {_shape(path) for path, item in schema["paths"].items() if "get" in item}
    wrong: list[str] = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            created_201 = operation["responses"].get("201")
            if created_201 is None or NOT_AN_OBJECT.match(path):
                continue
            assert LOCATION_KEY not in operation  # the contract turns it into the header
            header = created_201.get("headers", {}).get("Location")
            if header is None or not header.get("required"):
                wrong.append(f"{method.upper()} {path}: no Location")
                continue
            template = header["description"].rsplit("`", 2)[-2]
            params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            unknown = set(template_names(template)) - params - _properties(schema, created_201)
            if unknown or _shape(template) not in readable:
                wrong.append(f"{method.upper()} {path}: {template} ({sorted(unknown)})")
    assert wrong == []


def test_a_location_fills_its_names_from_the_path_and_the_body() -> None:
    template = "/v1/organisations/{organisation_id}/terms/{number}"
    assert location(template, {"organisation_id": "42"}, {"number": 3}) == (
        "/v1/organisations/42/terms/3"
    )
    # Path parameters win over a body field of the same name; values are quoted.
    assert location("/v1/things/{id}", {"id": "a b"}, {"id": 1}) == "/v1/things/a%20b"
    assert location("/v1/cards/{id}", {}, [{"id": 1}]) is None
    assert location("/v1/cards/{id}", {}, {"id": None}) is None
    with pytest.raises(ValueError, match="not a path"):
        created("cards/{id}")
