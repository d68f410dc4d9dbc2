"""OpenAPI links, derived from the routes: how the id a response carries reaches the next
operation, and the ETag a read answers reaches the write that names it in If-Match.

Generated clients and workflow testers (schemathesis' stateful phase) follow them; they are
part of the published contract, so they come from what the routes already say rather than
from a hand-written list per service:

* A creation (`POST` answering 201 with an object) links to the operations whose path names
  the created object: `{<name>_id}` for a `<Name>Read` / `<Name>Detail` with an `id`
  (`POST /v1/members/{member_id}/appointments` -> `/v1/appointments/{appointment_id}`), or
  the parameter right below the collection it was posted to (`POST /v1/plans` ->
  `/v1/plans/{plan}` with the plan's `code`). Writes that need If-Match are left out: a
  creation answers no ETag, the read below does. A creation also links to the operations
  whose JSON body names such an object (`person_id`), with that field set (`requestBody`).
* A read of one object (`GET` of a path ending in a parameter) links to every write on that
  object and below it, with the same path parameters and `If-Match: $response.header.ETag`
  where the write takes If-Match (`canlian.common.concurrency`); the read documents the ETag.

A link is made only when every path parameter of the target has a value: from the response
body (a property of that name), or from the source request's path.
"""

from __future__ import annotations

import re
from typing import Any

_WRITES = {"post", "put", "patch", "delete"}
_PARAMETER = re.compile(r"\{(\w+)\}")
_RESOURCE_SUFFIXES = ("Read", "Detail")

ETAG_HEADER: dict[str, Any] = {
    "description": "对象的当前版本,修改时放入 If-Match / the object's version: send it back "
    "in If-Match to change the object",
    "schema": {"type": "string", "examples": ['"1"']},
}


def link_operations(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the links (and the ETag header of single-object reads) to an OpenAPI document."""
    components = schema.get("components", {}).get("schemas", {})
    operations = [
        (path, method, operation)
        for path, item in schema.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    for path, method, operation in operations:
        if method == "post":
            _link_creation(path, operation, operations, components)
        elif method == "get" and path.endswith("}"):
            _link_read(path, operation, operations)
    return schema


def _link_creation(
    path: str,
    operation: dict[str, Any],
    operations: list[tuple[str, str, dict[str, Any]]],
    components: dict[str, Any],
) -> None:
    response = operation.get("responses", {}).get("201")
    name, created = _body_schema(response, components)
    properties = set(created.get("properties", {})) if created else set()
    if response is None or not properties:
        return
    own_parameter = _snake(_resource_name(name)) + "_id" if "id" in properties else None
    links: dict[str, Any] = {}
    for target_path, target_method, target in operations:
        if target is operation or _takes_if_match(target):
            continue
        values: dict[str, str] = {}
        names_it = False  # the target names the created object, not only its neighbours
        for parameter in _PARAMETER.findall(target_path):
            if parameter == own_parameter:
                values[parameter] = "$response.body#/id"
                names_it = True
            elif parameter == _below(path, target_path) and (key := _key(parameter, properties)):
                values[parameter] = f"$response.body#/{key}"
                names_it = True
            elif parameter in properties:
                values[parameter] = f"$response.body#/{parameter}"
            elif parameter in _PARAMETER.findall(path):
                values[parameter] = f"$request.path.{parameter}"
        body = _request_properties(target, components)
        named_in_body = own_parameter is not None and own_parameter in body
        if (names_it or named_in_body) and len(values) == len(_PARAMETER.findall(target_path)):
            link = _link(target, target_method, values)
            if named_in_body:
                # Merged into the body the client composes (`POST /v1/applications` with the
                # `person_id` of the person just registered).
                link["requestBody"] = {own_parameter: "$response.body#/id"}
            links[target["operationId"]] = link
    if links:
        response.setdefault("links", {}).update(links)


def _link_read(
    path: str, operation: dict[str, Any], operations: list[tuple[str, str, dict[str, Any]]]
) -> None:
    response = operation.get("responses", {}).get("200")
    if response is None:
        return
    parameters = set(_PARAMETER.findall(path))
    links: dict[str, Any] = {}
    for target_path, target_method, target in operations:
        if target_method not in _WRITES or not (
            target_path == path or target_path.startswith(path + "/")
        ):
            continue
        if set(_PARAMETER.findall(target_path)) != parameters:
            continue
        values = {parameter: f"$request.path.{parameter}" for parameter in sorted(parameters)}
        link = _link(target, target_method, values)
        if _takes_if_match(target):
            link["parameters"]["header.If-Match"] = "$response.header.ETag"
            response.setdefault("headers", {})["ETag"] = ETAG_HEADER
        links[target["operationId"]] = link
    if links:
        response.setdefault("links", {}).update(links)


def _link(target: dict[str, Any], method: str, values: dict[str, str]) -> dict[str, Any]:
    return {
        "operationId": target["operationId"],
        "description": f"{method.upper()} with the values of this response",
        "parameters": {f"path.{name}": value for name, value in values.items()},
    }


def _body_schema(
    response: dict[str, Any] | None, components: dict[str, Any]
) -> tuple[str, dict[str, Any] | None]:
    if response is None:
        return "", None
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    reference = schema.get("$ref", "")
    if not reference.startswith("#/components/schemas/"):
        return "", None
    name = reference.rsplit("/", 1)[-1]
    found = components.get(name)
    return name, found if isinstance(found, dict) else None


def _request_properties(operation: dict[str, Any], components: dict[str, Any]) -> set[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    reference = content.get("schema", {}).get("$ref", "")
    found = components.get(reference.rsplit("/", 1)[-1]) if reference else None
    return set(found.get("properties", {})) if isinstance(found, dict) else set()


def _resource_name(schema_name: str) -> str:
    for suffix in _RESOURCE_SUFFIXES:
        if schema_name.endswith(suffix) and schema_name != suffix:
            return schema_name[: -len(suffix)]
    return schema_name


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _below(collection: str, target_path: str) -> str | None:
    """The parameter right below `collection` in `target_path` (`/v1/plans` and
    `/v1/plans/{plan}/targets` -> `plan`), if the target lies below it."""
    match = re.match(re.escape(collection) + r"/\{(\w+)\}(?:/|$)", target_path)
    return match.group(1) if match else None


def _key(parameter: str, properties: set[str]) -> str | None:
    """The property that identifies the object posted to a collection: its `id` for an
    `..._id` parameter, else its `code`."""
    if parameter.endswith("_id") and "id" in properties:
        return "id"
    return "code" if "code" in properties else None


def _takes_if_match(operation: dict[str, Any]) -> bool:
    return any(
        parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match"
        for parameter in operation.get("parameters", [])
    )
