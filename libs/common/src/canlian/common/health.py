"""Liveness, readiness and metrics endpoints, the same on every service."""

from __future__ import annotations

import asyncio
import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from canlian.common import auth
from canlian.common.errors import MissingRole, Unauthenticated
from canlian.common.i18n import Message
from canlian.common.observability import metrics_response
from canlian.common.problems import language_of, problem_response
from canlian.common.runtime import ServiceRuntime

router = APIRouter(tags=["运维 / operations"])

_NOT_READY = Message(zh="服务未就绪", en="Service not ready")
_DOWN = Message(zh="不可用的依赖:{names}", en="Unavailable: {names}")


@router.get("/healthz", summary="存活检查 / liveness")
async def healthz(request: Request) -> dict[str, str]:
    runtime: ServiceRuntime = request.app.state.runtime
    return {"status": "ok", "service": runtime.descriptor.name}


async def _check(name: str, probe: Any) -> tuple[str, str | None]:
    try:
        await asyncio.wait_for(probe(), timeout=2.0)
    except Exception as error:
        return name, type(error).__name__
    return name, None


@router.get("/readyz", summary="就绪检查 / readiness: database and event bus reachable")
async def readyz(request: Request) -> Response:
    runtime: ServiceRuntime = request.app.state.runtime
    results = await asyncio.gather(
        _check("database", runtime.database.ping), _check("event-bus", runtime.check_bus)
    )
    checks = {name: ("ok" if error is None else f"down: {error}") for name, error in results}
    down = [name for name, error in results if error is not None]
    if not down:
        return JSONResponse(
            {"status": "ready", "service": runtime.descriptor.name, "checks": checks}
        )
    language = language_of(request)
    return problem_response(
        request,
        status=503,
        code="not-ready",
        title=_NOT_READY.render(language),
        detail=_DOWN.render(language, names=", ".join(down)),
        extensions={"checks": checks, "down": down},
        headers={"Retry-After": "5"},
    )


METRICS_READ = "metrics:read"


async def _authorise_scrape(request: Request) -> None:
    """/metrics needs a bearer token: the static `CANLIAN_METRICS_TOKEN` that Prometheus
    sends (`authorization: credentials_file:` in its scrape config), or a JWT of an admin or
    one carrying the `metrics:read` scope. The figures name routes, consumers and volumes."""
    runtime: ServiceRuntime = request.app.state.runtime
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated()
    expected = runtime.settings.canlian_metrics_token
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return
    principal = await runtime.token_verifier.verify(token)
    if not (principal.has_role(auth.ADMIN) or METRICS_READ in principal.scopes):
        raise MissingRole(roles=auth.ADMIN)


@router.get("/metrics", summary="Prometheus 指标 / metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    await _authorise_scrape(request)
    return metrics_response()
