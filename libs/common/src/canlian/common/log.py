"""JSON logs, one object a line, carrying the request id; personal identifiers redacted.

Redaction is the last line of defence: code must not log personal data in the first place,
but an exception text or a third-party library might.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

from canlian.common.tracing import current_traceparent

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "canlian_request_id", default=None
)

# 18-digit citizen IDs (also inside 20-digit card numbers) and mainland mobile numbers.
_CITIZEN_ID = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(\d{2})?(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    text = _CITIZEN_ID.sub(lambda m: f"{m.group(1)[:3]}***********{m.group(2)[-1]}", text)
    return _MOBILE.sub(r"\1****\2", text)


# The id the client sent (X-Request-ID), kept beside the server's own and never trusted as it.
_client_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "canlian_client_request_id", default=None
)

RequestIdTokens = tuple[contextvars.Token[str | None], contextvars.Token[str | None]]


def current_request_id() -> str | None:
    """The server-made id of the request being handled."""
    return _request_id.get()


def current_client_request_id() -> str | None:
    """The X-Request-ID the client sent, if any (for correlation only)."""
    return _client_request_id.get()


def bind_request_id(
    request_id: str | None, client_request_id: str | None = None
) -> RequestIdTokens:
    return _request_id.set(request_id), _client_request_id.set(client_request_id)


def reset_request_id(tokens: RequestIdTokens) -> None:
    _request_id.reset(tokens[0])
    _client_request_id.reset(tokens[1])


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = _request_id.get()
        if request_id:
            entry["request_id"] = request_id
        traceparent = record.__dict__.get("traceparent") or current_traceparent()
        if traceparent:
            entry["traceparent"] = traceparent
        client_request_id = _client_request_id.get()
        if client_request_id:
            entry["client_request_id"] = client_request_id
        for key in (
            "method",
            "path",
            "status",
            "duration_ms",
            "event_id",
            "consumer",
            "security_event",
            "principal",
        ):
            value = record.__dict__.get(key)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(service: str, level: str = "INFO") -> None:
    # The JSON lines carry none of the caller's file and line, thread or process: skip
    # finding them for every record (the logging cookbook's "optimization" settings).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # Our own middleware logs each request once, with its id.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
