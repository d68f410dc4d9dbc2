"""Prometheus metrics: requests, outbox lag and consumer lag; and the request middleware that
gives every request an id and one log line."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from canlian.common.log import bind_request_id, reset_request_id
from canlian.common.tracing import bind_traceparent, child_of, reset_traceparent

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

_QUIET_ROUTES = frozenset({"/healthz", "/metrics"})


def _route_template(scope: Scope) -> str:
    # Never the concrete URL: it may hold identifiers (a card number holds a citizen ID), and
    # FastAPI's included routers carry no `path`; the routed endpoint is in the scope.
    routed = scope.get("route")
    if routed is not None and getattr(routed, "path", None):
        return str(routed.path)
    app = scope.get("app")
    router = getattr(app, "router", None)
    for route in getattr(router, "routes", ()):
        match, _ = route.matches(scope)
        if match == Match.FULL and getattr(route, "path", None):
            return str(route.path)
    return "unmatched"


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            incoming = value.decode("latin-1")
            return incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else None
    return None


def _incoming_traceparent(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"traceparent":
            return str(value.decode("latin-1"))[:64]
    return None


class RequestContextMiddleware:
    """Request id, metrics and one access log line per request.

    Plain ASGI: Starlette's BaseHTTPMiddleware runs every request in an extra task with
    streams between the two, which costs more than everything this middleware does."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        # prometheus_client's labels() locks and hashes on every call; the label sets are
        # bounded (route templates, not URLs), so keep the children.
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._timers: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Always our own id: a client's X-Request-ID is kept beside it (logs, audit), never
        # taken for it, so no client can forge or collide the id an audit row carries.
        request_id = uuid.uuid4().hex
        tokens = bind_request_id(request_id, _incoming_request_id(scope))
        trace_token = bind_traceparent(child_of(_incoming_traceparent(scope)))
        started = time.perf_counter()
        status = 500
        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                message.setdefault("headers", [])  # optional in ASGI
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            # Here, not in Starlette's outermost error middleware: there the request id is
            # already gone, and the 500 would name "-" and log none.
            if started_response:
                raise
            from canlian.common.problems import internal_error_response

            await internal_error_response(Request(scope), error)(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            self._record(scope["method"], _route_template(scope), status, elapsed)
            reset_traceparent(trace_token)
            reset_request_id(tokens)

    def _record(self, method: str, route: str, status: int, elapsed: float) -> None:
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = REQUESTS.labels(self.service, method, route, str(status))
            self._counters[(method, route, status)] = counter
        timer = self._timers.get((method, route))
        if timer is None:
            timer = REQUEST_SECONDS.labels(self.service, method, route)
            self._timers[(method, route)] = timer
        counter.inc()
        timer.observe(elapsed)
        if route not in _QUIET_ROUTES:
            access_log.info(
                "%s %s %s",
                method,
                route,
                status,
                extra={
                    "method": method,
                    "path": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


def metrics_response() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
