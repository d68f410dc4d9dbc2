"""Build a service's FastAPI app with everything the platform gives every service."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import MetaData
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp

from canlian.common.api_docs import install_api_docs
from canlian.common.catalogue.routes import router as catalogue_router
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.errors import Conflict
from canlian.common.garbage_collector import tune_for_long_runs
from canlian.common.health import router as health_router
from canlian.common.i18n import Message
from canlian.common.idempotency import ReplayedResponse
from canlian.common.import_jobs.kinds import ImportKind
from canlian.common.import_jobs.routes import router as import_jobs_router
from canlian.common.locations import LocationMiddleware
from canlian.common.log import configure_logging
from canlian.common.observability import RequestContextMiddleware
from canlian.common.openapi_contract import install_openapi_contract, operation_id
from canlian.common.problems import install_problem_handlers, language_of, problem_response
from canlian.common.query_parameters import refuse_unknown_query_parameters
from canlian.common.runtime import ConsumerSpec, PeriodicJob, ServiceRuntime
from canlian.common.settings import PlatformSettings
from canlian.common.web_security import SecurityMiddleware

_CONCURRENT = Message(
    zh="数据已被并发请求修改,请刷新后重试", en="Changed by a concurrent request; reload and retry"
)


async def _on_replay(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ReplayedResponse)
    return error.response


async def _on_integrity(request: Request, _error: Exception) -> JSONResponse:
    # Services check their rules first; a unique index firing means another request won a race.
    language = language_of(request)
    return problem_response(
        request,
        status=409,
        code="concurrent-change",
        title=Conflict.title.render(language),
        detail=_CONCURRENT.render(language),
    )


def _telemetry() -> TelemetryConfig | None:
    """FastAPI's OpenTelemetry bridge, on when the environment configures OpenTelemetry.
    Otherwise off: unconfigured, it still looks its three providers up in os.environ on
    every request only to find none."""
    if any(name.startswith("OTEL_") for name in os.environ) or os.environ.get(
        "FASTAPI_OTEL_AUTO_CONFIGURE"
    ):
        return None
    return {"tracing": False, "metrics": False, "logs": False}


def create_service_app(
    descriptor: ServiceDescriptor,
    settings: PlatformSettings,
    metadata: MetaData,
    routers: Sequence[APIRouter],
    *,
    consumers: Sequence[ConsumerSpec] = (),
    import_kinds: Sequence[ImportKind] = (),
    periodic_jobs: Sequence[PeriodicJob] = (),
    description: str = "",
    inner_middleware: Sequence[Callable[[ASGIApp], ASGIApp]] = (),
) -> FastAPI:
    configure_logging(
        descriptor.name,
        settings.log_level,
        production=settings.canlian_environment == "production",
    )
    runtime = ServiceRuntime(descriptor, settings, metadata, consumers, import_kinds, periodic_jobs)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Embedded: the newcomer's one command migrates too. Servers: a migration job does.
        await runtime.start(
            run_background=settings.canlian_run_workers, migrate=settings.embedded_database
        )
        tune_for_long_runs()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=f"Canlian {descriptor.title}",
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        telemetry=_telemetry(),
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    app.state.runtime = runtime
    app.state.token_verifier = runtime.token_verifier
    # A service's own, innermost (first added): inside the request context and the security
    # headers, so that what it answers gets them too.
    for middleware in inner_middleware:
        app.add_middleware(middleware)
    # Inside the platform's others: sees the matched route of a 201 (its Location template).
    app.add_middleware(LocationMiddleware)
    # Added early, so inside the request context: what it refuses still has a request id.
    app.add_middleware(
        SecurityMiddleware,
        max_json_bytes=settings.canlian_max_json_bytes,
        max_upload_bytes=settings.canlian_max_upload_bytes,
        fastapi=app,
    )
    app.add_middleware(RequestContextMiddleware, service=descriptor.name)
    install_api_docs(app)
    install_problem_handlers(app)
    app.add_exception_handler(ReplayedResponse, _on_replay)
    app.add_exception_handler(IntegrityError, _on_integrity)
    app.include_router(health_router)
    app.include_router(catalogue_router)
    if import_kinds:
        routers = [*routers, import_jobs_router]
    for router in routers:
        app.include_router(router, dependencies=[Depends(refuse_unknown_query_parameters)])
    install_openapi_contract(app)
    return app
