"""Kept answers served before routing: a GET whose key (path, query, the caller's region,
roles and scopes, language, day) names an answer kept at the current version is answered
from memory, without routing, dependencies or a session.

Everything else goes on to the routes, which check it in full, and so does every request
this cannot tell about (no token, a token refused, nothing kept). An answer is kept only
after its route admitted a caller of the same region, roles and scopes for the same
question, so the key alone never opens what the route would refuse. It sits inside the
platform's middlewares: a request answered here still gets its request id, metrics, access
log line and security headers."""

from __future__ import annotations

from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from canlian.common.auth import Principal, TokenVerifier
from canlian.common.errors import ProblemError
from canlian.metrics.answers.serving import (
    answer_cache,
    answer_key,
    answer_response,
    answer_tag,
    current_version,
)


class KeptAnswerMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cache = answer_cache(request)
        principal = await _principal(request) if len(cache) else None
        if principal is None:
            await self.app(scope, receive, send)
            return
        version = await current_version(request)
        key = answer_key(request, principal)
        kept = cache.kept(key, version)
        if kept is None:
            await self.app(scope, receive, send)
            return
        if kept.route is not None:
            scope["route"] = kept.route  # the request metrics name the route, as routed
        response = answer_response(
            kept.body, answer_tag(version, key), request.headers.get("if-none-match")
        )
        await response(scope, receive, send)


async def _principal(request: Request) -> Principal | None:
    """The caller as the routes' bearer dependency finds it; None when it would refuse."""
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() != "bearer" or not token:
        return None
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        return await verifier.verify(token)
    except ProblemError:
        return None
