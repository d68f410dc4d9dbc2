"""A 201 names what it created: `Location`, from a template the route declares.

A route answering 201 declares where the created object is read, once, in its decorator:
`openapi_extra=created("/v1/cards/{id}")`. The template's `{names}` come from the request's
path parameters and the response body's top-level fields. The middleware here sets the header
on every 201 of such a route (replays of an idempotent request too, as they answer the stored
body), and the OpenAPI contract documents it as a response header: the two cannot drift.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCATION_KEY = "x-canlian-location"

LOCATION_HEADER: dict[str, Any] = {
    "description": "新建对象的地址(可 GET)/ the path of the created object, to GET it",
    "required": True,
    "schema": {"type": "string"},
}

_NAME = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def created(template: str) -> dict[str, Any]:
    """`openapi_extra` of a route answering 201: the created object's path template."""
    if not template.startswith("/v1/"):
        raise ValueError(f"not a path of the API: {template}")
    return {LOCATION_KEY: template}


def template_names(template: str) -> list[str]:
    return _NAME.findall(template)


def location(template: str, path_params: dict[str, Any], body: object) -> str | None:
    """The template filled in; None when a name has no value (then no header is sent)."""
    values = {**(body if isinstance(body, dict) else {}), **path_params}
    parts: list[str] = []
    position = 0
    for match in _NAME.finditer(template):
        value = values.get(match.group(1))
        if value is None or isinstance(value, dict | list):
            return None
        parts += [template[position : match.start()], quote(str(value), safe="")]
        position = match.end()
    return "".join([*parts, template[position:]])


def _template_of(scope: Scope) -> str | None:
    extra = getattr(scope.get("route"), "openapi_extra", None)
    template = extra.get(LOCATION_KEY) if isinstance(extra, dict) else None
    return template if isinstance(template, str) else None


class LocationMiddleware:
    """Holds back a 201's start until its body is complete, then adds `Location`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") == "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_located(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] == 201:
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            template = _template_of(scope)
            if template is not None:
                try:
                    content: object = json.loads(body) if body else None
                except ValueError:
                    content = None
                path = location(template, scope.get("path_params", {}), content)
                if path is not None:
                    MutableHeaders(scope=start)["Location"] = path
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, send_located)
