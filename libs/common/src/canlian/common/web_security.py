"""What every response and every request body goes through before a route sees it.

- Response headers (OWASP secure headers): a strict Content-Security-Policy on every response
  (HTML pages load script only from the service itself, no inline script, no framing),
  `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
  and `Cache-Control: no-store` on everything but static assets (API responses carry personal
  data). The `server` banner is uvicorn's: start it with `--no-server-header`
  (`UVICORN_OPTIONS` below).
- Request bodies: the bearer token is checked before a byte of the body is read (FastAPI
  parses a body before it solves the route's dependencies; every write of the platform
  needs a token, so a body without a valid one is refused with 401 unread), and bodies
  are limited, JSON to
  `CANLIAN_MAX_JSON_BYTES` (1 MiB) and uploads (multipart) to `CANLIAN_MAX_UPLOAD_BYTES`
  (20 MiB): a declared length over the limit is refused with 413 before reading, a body
  that streams past it is cut off at the limit.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from canlian.common.errors import ProblemError, Unauthenticated
from canlian.common.i18n import Message as Text

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# How every service is started: uvicorn's `server: uvicorn` banner is its own, not the app's.
UVICORN_OPTIONS: dict[str, Any] = {"server_header": False}  # uvicorn.Config / uvicorn.run
UVICORN_FLAGS = ("--no-server-header",)  # the uvicorn command line

_STATIC_TYPES = ("text/css", "text/javascript", "application/javascript", "image/", "font/")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RequestTooLarge(ProblemError):
    status = 413
    code = "request-too-large"
    title = Text(zh="请求体过大", en="Request body too large")
    detail = Text(
        zh="请求体不能超过 {limit};请减少数据量或分批提交",
        en="The request body is limited to {limit}; send less or split it",
    )


class _BodyLimitExceeded(StarletteHTTPException):
    """Raised from `receive` when a streamed body passes its limit. An HTTPException so that
    FastAPI's body parsing re-raises it instead of turning it into a 400; the problem
    handler renders the problem it carries."""

    def __init__(self, problem: RequestTooLarge) -> None:
        super().__init__(status_code=413)
        self.problem = problem


def too_large_problem(error: StarletteHTTPException) -> ProblemError | None:
    return error.problem if isinstance(error, _BodyLimitExceeded) else None


def _size(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} B"


class SecurityMiddleware:
    """Security headers on every response; token and size checks before any body is read.

    Plain ASGI, like the request-context middleware, and inside it, so that a 401 or 413
    refused here still gets a request id, a log line and the headers."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_json_bytes: int,
        max_upload_bytes: int,
        fastapi: FastAPI,
        public_write_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.fastapi = fastapi
        # Every write of the platform needs a token (tests/security checks each service's
        # OpenAPI); a write open to anyone would be named here.
        self.public_write_paths = public_write_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                _add_security_headers(MutableHeaders(scope=message))
            await send(message)

        refused = await self._refusal(scope)
        if refused is not None:
            await self._send_problem(scope, receive, send_with_headers, refused)
            return
        limit = self._limit(scope)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyLimitExceeded(RequestTooLarge(limit=_size(limit)))
            return message

        await self.app(scope, limited_receive, send_with_headers)

    def _limit(self, scope: Scope) -> int:
        content_type = _header(scope, b"content-type") or ""
        if content_type.lower().startswith("multipart/"):
            return self.max_upload_bytes
        return self.max_json_bytes

    async def _refusal(self, scope: Scope) -> ProblemError | None:
        if scope["method"] not in _BODY_METHODS:
            return None
        length = _header(scope, b"content-length")
        chunked = "chunked" in (_header(scope, b"transfer-encoding") or "").lower()
        if not chunked and (length is None or length.strip() in ("", "0")):
            return None  # no body to protect
        if scope["path"] not in self.public_write_paths:
            try:
                await self._authenticate(scope)
            except ProblemError as error:
                return error
        limit = self._limit(scope)
        if length is not None and length.strip().isdigit() and int(length) > limit:
            return RequestTooLarge(limit=_size(limit))
        return None

    async def _authenticate(self, scope: Scope) -> None:
        authorization = _header(scope, b"authorization") or ""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated()
        await self.fastapi.state.token_verifier.verify(token.strip())

    async def _send_problem(
        self, scope: Scope, receive: Receive, send: Send, error: ProblemError
    ) -> None:
        from canlian.common.problems import render_problem

        response = render_problem(Request(scope), error)
        if isinstance(error, RequestTooLarge):
            response.headers["Connection"] = "close"  # the unread body stays unread
        await response(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _add_security_headers(headers: MutableHeaders) -> None:
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    content_type = headers.get("content-type", "").lower()
    if "cache-control" not in headers:
        static = content_type.startswith(_STATIC_TYPES)
        headers["Cache-Control"] = "no-cache" if static else "no-store"
    if "server" in headers:
        del headers["server"]
