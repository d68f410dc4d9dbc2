"""The OpenAPI document as the wire is: problems for every error an operation can return.

FastAPI documents a 422 as its own `HTTPValidationError` and nothing else; the services send
RFC 9457 problems (`application/problem+json`) for every 4xx and 5xx, so a client generated
from FastAPI's document crashes on the first error. Here every operation lists the problems
the platform can answer it with, all of one `Problem` schema; operation ids are the route
functions' names (`list_persons`, not `list_persons_v1_persons_get`); tags are ASCII (the
pair of languages in their description); pages are named types (`PersonReadPage`); bearer
tokens are JWTs. Links between operations (ids and ETags) come from `openapi_links`.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from canlian.common.auth import required_roles
from canlian.common.errors import PROBLEM_TYPE_BASE
from canlian.common.locations import LOCATION_HEADER, LOCATION_KEY
from canlian.common.openapi_links import link_operations
from canlian.common.request_examples import example_of
from canlian.common.tokens import ADMIN, PERSONAL_DATA_READ

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": (
        "RFC 9457 问题详情 / RFC 9457 problem details; `title` and `detail` in the caller's "
        "language (Accept-Language: zh-CN by default, en on request)."
    ),
    "required": ["type", "title", "status"],
    "properties": {
        "type": {
            "type": "string",
            "description": f"问题类型 / problem type, {PROBLEM_TYPE_BASE}<code>",
            "examples": [PROBLEM_TYPE_BASE + "invalid-input"],
        },
        "title": {"type": "string", "description": "简述 / short summary"},
        "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599,
            "description": "HTTP 状态码 / HTTP status code",
        },
        "detail": {"type": "string", "description": "说明与处理办法 / what happened, what to do"},
        "instance": {"type": "string", "description": "请求路径 / the request's path"},
        "request_id": {"type": "string", "description": "请求编号 / the server's request id"},
        "errors": {
            "type": "array",
            "description": "逐字段的错误 / one entry per invalid field (422)",
            "items": {"$ref": "#/components/schemas/ProblemFieldError"},
        },
    },
    "additionalProperties": True,
}

FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ProblemFieldError",
    "type": "object",
    "required": ["field", "message"],
    "properties": {
        "field": {
            "type": "string",
            "examples": ["body.name"],
            "description": "出错的字段 / the field in error",
        },
        "type": {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "错误类型 / kind of error",
        },
        "message": {"type": "string", "description": "说明 / what is wrong"},
    },
}

DESCRIPTIONS = {
    "400": "请求体无法解析 / The body could not be parsed",
    "401": "未认证:缺少或无效的令牌 / No valid bearer token",
    "403": "无权:角色或辖区不允许 / Your role or region does not allow this",
    "404": "不存在(或不在辖区内)/ Not found, or not in your region",
    "409": "与现有数据冲突 / Conflicts with existing data or its state",
    "412": "版本已变化(If-Match 不符)/ The object changed since you read it",
    "413": "请求体过大 / Request body too large",
    "422": "输入无效 / Invalid input",
    "428": "缺少 If-Match / If-Match required",
    "429": "请求过于频繁 / Too many requests; retry after Retry-After seconds",
    "500": "服务内部错误(缺陷)/ Internal error (a bug: report its request id)",
    "503": "依赖暂不可用,稍后重试 / A dependency is unavailable; retry after Retry-After",
}

_WRITES = {"post", "put", "patch", "delete"}
ACCESS_REASON_HEADER = "X-Access-Reason"  # canlian.common.audit.AccessReason
_UNAUTHENTICATED = {"/healthz", "/readyz"}


def operation_id(route: APIRoute) -> str:
    """The route function's name: unique within a service (a test holds it)."""
    return route.name


def install_openapi_contract(app: FastAPI) -> None:
    """Replace `app.openapi` with the contract: call after every router is included."""

    def contract() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            document_access(schema, access_of(app))
            app.openapi_schema = link_operations(document_problems(schema))
        return app.openapi_schema

    app.openapi = contract  # type: ignore[method-assign]


def access_of(app: FastAPI) -> dict[str, tuple[str, ...]]:
    """Each operation's roles, read from its `require_roles` dependencies (by operation id)."""
    found: dict[str, tuple[str, ...]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        roles: list[str] = []
        pending = [route.dependant]
        while pending:
            current = pending.pop()
            roles += required_roles(current.call) or ()
            pending.extend(current.dependencies)
        if roles:
            found[operation_id(route)] = tuple(dict.fromkeys(roles))
    return found


def access_text(roles: tuple[str, ...], unmasked: bool) -> str:
    """Who may call an operation, first in its description."""
    text = (
        f"**权限 / Access**: 角色 / role {' 或 / or '.join(f'`{role}`' for role in roles)}"
        f"(`{ADMIN}` 亦可 / admins too);数据限于令牌的辖区 `region` / data within the "
        "token's `region`"
    )
    if unmasked:
        text += (
            f";未脱敏数据另需范围 `{PERSONAL_DATA_READ}` 并说明理由 / unmasked data also "
            f"needs the `{PERSONAL_DATA_READ}` scope and a reason"
        )
    return text + "."


def document_access(schema: dict[str, Any], access: dict[str, tuple[str, ...]]) -> None:
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            roles = access.get(str(operation.get("operationId")))
            if not roles:
                continue
            unmasked = any(
                parameter.get("name") == ACCESS_REASON_HEADER
                for parameter in operation.get("parameters", [])
            )
            description = operation.get("description")
            text = access_text(roles, unmasked)
            operation["description"] = f"{text}\n\n{description}" if description else text


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    _ascii_tags(schema)
    _name_pages(schema)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ProblemFieldError"] = FIELD_ERROR_SCHEMA
    for scheme in components.get("securitySchemes", {}).values():
        if scheme.get("scheme") == "bearer":
            scheme["bearerFormat"] = "JWT"
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                _document_operation(path, method, operation)
                _exemplify(operation, schemas)
    return schema


def _exemplify(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """An example of each JSON body: the model's own, else one built from its schema."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None or "example" in content or "examples" in content:
        return
    body = content.get("schema", {})
    ref = body.get("$ref")
    if isinstance(ref, str) and schemas.get(ref.rsplit("/", 1)[-1], {}).get("examples"):
        return  # the component schema carries the model's examples
    content["example"] = example_of(body, schemas)


def _ascii_tags(schema: dict[str, Any]) -> None:
    """Routes tag in both languages ("运维 / operations"); generated clients name modules after
    tags, so the tag is the English part and the pair its description."""
    described: dict[str, str] = {}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            tags = operation.get("tags", []) if isinstance(operation, dict) else []
            for index, tag in enumerate(tags):
                name = tag.split(" / ")[-1].strip() if " / " in tag else tag
                name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "other"
                described.setdefault(name, tag)
                tags[index] = name
    schema["tags"] = [
        {"name": name, "description": text} for name, text in sorted(described.items())
    ]


def _name_pages(schema: dict[str, Any]) -> None:
    """`Page_PersonRead_` (pydantic's name of `Page[PersonRead]`) becomes `PersonReadPage`,
    `Items_DailyPoint_` (a whole list) `DailyPointList`."""
    schemas = schema.get("components", {}).get("schemas", {})
    renames = {
        name: match.group(2) + suffix
        for name in schemas
        if (match := re.fullmatch(r"(Page|Items)_(\w+?)_", name))
        and (suffix := "Page" if match.group(1) == "Page" else "List")
        and match.group(2) + suffix not in schemas
    }
    if not renames:
        return
    for old, new in renames.items():
        schemas[new] = schemas.pop(old)
        schemas[new]["title"] = new
    _rewrite_refs(
        schema,
        {f"#/components/schemas/{o}": f"#/components/schemas/{n}" for o, n in renames.items()},
    )


def _rewrite_refs(node: Any, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in refs:
                node[key] = refs[value]
            else:
                _rewrite_refs(value, refs)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, refs)


def _document_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation["responses"]
    template = operation.pop(LOCATION_KEY, None)
    if template is not None and "201" in responses:
        responses["201"].setdefault("headers", {})["Location"] = {
            **LOCATION_HEADER,
            "description": f"{LOCATION_HEADER['description']}: `{template}`",
        }
    codes = set(_problem_codes(path, method, operation))
    codes.update(code for code in responses if code[:1] in ("4", "5"))
    for code in sorted(codes):
        response = responses.setdefault(code, {})
        response["description"] = _description(code, response)
        response["content"] = {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}
        if code in ("429", "503"):
            response.setdefault("headers", {})["Retry-After"] = {
                "description": "秒数 / seconds to wait",
                "schema": {"type": "integer"},
            }


def _problem_codes(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["500"]
    if path in _UNAUTHENTICATED:
        return [*codes, "503"] if path == "/readyz" else codes
    codes.append("503")
    if operation.get("security"):
        codes += ["401", "403"]
    if "{" in path:
        codes.append("404")
    codes.append("422")  # any operation: a query parameter it does not declare
    if any(
        parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match"
        for parameter in operation.get("parameters", [])
    ):
        codes += ["412", "428"]  # a stale If-Match, or none
    if operation.get("requestBody"):
        # A multipart body that cannot be parsed, a JSON body that is not UTF-8.
        codes.append("400")
    if method in _WRITES:
        # A body names other objects by id: one outside the caller's region is "not found".
        codes += ["404", "409", "413", "422"]
    return codes


def _description(code: str, response: dict[str, Any]) -> str:
    current = str(response.get("description") or "")
    if current and current not in ("Validation Error", "Successful Response"):
        return current
    return DESCRIPTIONS.get(code, "问题 / Problem")
