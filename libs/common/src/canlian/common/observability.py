"""Prometheus metrics: requests, outbox lag and consumer lag; and the request middleware that
gives every request an id and one log line."""

from __future__ import annotations

import logging
import time
import uuid

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match

from canlian.common.log import bind_request_id, current_request_id, reset_request_id

REQUESTS = Counter(
    "canlian_http_requests_total", "HTTP requests", ["service", "method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "canlian_http_request_duration_seconds",
    "HTTP request duration",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
OUTBOX_LAG_SECONDS = Gauge(
    "canlian_outbox_lag_seconds", "Age of the oldest unpublished outbox event", ["service"]
)
OUTBOX_PENDING = Gauge("canlian_outbox_pending", "Unpublished outbox events", ["service"])
OUTBOX_PUBLISHED = Counter(
    "canlian_outbox_published_total", "Events published by the relay", ["service"]
)
CONSUMER_LAG = Gauge("canlian_consumer_lag", "Events waiting for a consumer", ["consumer"])
CONSUMER_EVENTS = Counter(
    "canlian_consumer_events_total", "Events handled by a consumer", ["consumer", "outcome"]
)

access_log = logging.getLogger("canlian.access")


def _route_template(request: Request) -> str:
    # Never the concrete URL: it may hold identifiers (a card number holds a citizen ID), and
    # FastAPI's included routers carry no `path`; the routed endpoint is in the scope.
    routed = request.scope.get("route")
    if routed is not None and getattr(routed, "path", None):
        return str(routed.path)
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match == Match.FULL and getattr(route, "path", None):
            return str(route.path)
    return "unmatched"


class RequestContextMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: object, service: str) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.service = service

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else None
        token = bind_request_id(request_id or uuid.uuid4().hex)
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["X-Request-ID"] = current_request_id() or ""
            return response
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(request)
            REQUESTS.labels(self.service, request.method, route, str(status)).inc()
            REQUEST_SECONDS.labels(self.service, request.method, route).observe(elapsed)
            if route not in ("/healthz", "/metrics"):
                access_log.info(
                    "%s %s %s",
                    request.method,
                    route,
                    status,
                    extra={
                        "method": request.method,
                        "path": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            reset_request_id(token)


def metrics_response() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
