"""The links in every service's OpenAPI document: a creation's id reaches the reads and
writes of what it created, a read's ETag reaches the If-Match of the write that names it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from canlian.common.descriptor import installed_services
from canlian.common.openapi_links import link_operations
from canlian.common.settings import PlatformSettings

SERVICES = installed_services()


def _document(name: str, data_dir: Path) -> dict[str, Any]:
    descriptor = next(d for d in SERVICES if d.name == name)
    module = importlib.import_module(f"{descriptor.package}.app")
    document: dict[str, Any] = module.create_app(
        PlatformSettings(canlian_data_dir=data_dir)
    ).openapi()
    return document


def _operations(document: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        operation["operationId"]: (path, operation)
        for path, item in document["paths"].items()
        for operation in item.values()
    }


def _links(document: dict[str, Any], path: str, method: str, code: str) -> dict[str, Any]:
    links: dict[str, Any] = document["paths"][path][method]["responses"][code].get("links", {})
    return links


def test_a_created_person_is_read_by_its_id_and_its_read_gives_the_etag(tmp_path: Path) -> None:
    document = _document("cards", tmp_path)
    created = _links(document, "/v1/persons", "post", "201")
    assert created["get_person"]["parameters"] == {"path.person_id": "$response.body#/id"}
    # A creation answers no ETag: the write that needs If-Match follows the read.
    assert "correct_person" not in created
    read = document["paths"]["/v1/persons/{person_id}"]["get"]["responses"]["200"]
    assert read["links"]["correct_person"]["parameters"] == {
        "path.person_id": "$request.path.person_id",
        "header.If-Match": "$response.header.ETag",
    }
    assert read["headers"]["ETag"]["schema"] == {"type": "string", "examples": ['"1"']}
    # State transitions below the object take the ETag too.
    application = _links(document, "/v1/applications/{application_id}", "get", "200")
    assert application["review"]["parameters"]["header.If-Match"] == "$response.header.ETag"


def test_an_object_created_under_another_is_found_by_its_own_id(tmp_path: Path) -> None:
    document = _document("members", tmp_path)
    appointed = _links(document, "/v1/members/{member_id}/appointments", "post", "201")
    assert appointed["get_appointment"]["parameters"] == {
        "path.appointment_id": "$response.body#/id"
    }
    # Not the member's own operations: the appointment is not the member.
    assert "get_member" not in appointed


def test_an_object_named_by_code_is_found_by_its_code(tmp_path: Path) -> None:
    document = _document("metrics", tmp_path)
    assert _links(document, "/v1/plans", "post", "201")["get_plan"]["parameters"] == {
        "path.plan": "$response.body#/code"
    }
    assert _links(document, "/v1/indicators", "post", "201")["get_indicator"]["parameters"] == {
        "path.code": "$response.body#/code"
    }


@pytest.mark.parametrize("name", [d.name for d in SERVICES])
def test_every_link_names_an_operation_and_fills_its_path(name: str, tmp_path: Path) -> None:
    document = _document(name, tmp_path)
    operations = _operations(document)
    count = 0
    for item in document["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                for link in response.get("links", {}).values():
                    count += 1
                    target_path, target = operations[link["operationId"]]
                    wanted = {f"path.{name}" for name in re.findall(r"\{(\w+)\}", target_path)}
                    given = {key for key in link["parameters"] if key.startswith("path.")}
                    assert given == wanted, (target_path, link)
                    takes_if_match = any(
                        parameter["name"] == "If-Match"
                        for parameter in target.get("parameters", [])
                    )
                    # A write that needs If-Match is only reached with an ETag.
                    if takes_if_match:
                        assert link["parameters"]["header.If-Match"] == "$response.header.ETag"
    assert count > 0


def test_links_are_only_made_when_every_parameter_has_a_value() -> None:
    document: dict[str, Any] = {
        "components": {"schemas": {"ThingRead": {"properties": {"id": {"type": "integer"}}}}},
        "paths": {
            "/v1/things": {
                "post": {
                    "operationId": "create_thing",
                    "responses": {
                        "201": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ThingRead"}
                                }
                            }
                        }
                    },
                }
            },
            "/v1/things/{thing_id}": {
                "get": {"operationId": "get_thing", "responses": {"200": {}}}
            },
            "/v1/things/{thing_id}/parts/{part_id}": {
                "get": {"operationId": "get_part", "responses": {"200": {}}}
            },
        },
    }
    links = link_operations(document)["paths"]["/v1/things"]["post"]["responses"]["201"]["links"]
    assert list(links) == ["get_thing"]
