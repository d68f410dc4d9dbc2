"""Logs, one line a record, carrying the request id; personal identifiers redacted.

JSON objects when the output is not a terminal or in production; readable, coloured lines on a
terminal. `CANLIAN_LOG_FORMAT=auto|json|text` chooses (auto: the rule above).

Redaction is the last line of defence: code must not log personal data in the first place,
but an exception text or a third-party library might.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from canlian.common.tracing import current_traceparent

LogFormat = Literal["json", "text"]
LOG_FORMAT_VARIABLE = "CANLIAN_LOG_FORMAT"

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


# The structured fields a record may carry (`extra=`), in the order a reader wants them.
FIELDS = (
    "method",
    "path",
    "status",
    "duration_ms",
    "event_id",
    "consumer",
    "security_event",
    "principal",
)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    request_id = _request_id.get()
    if request_id:
        fields["request_id"] = request_id
    traceparent = record.__dict__.get("traceparent") or current_traceparent()
    if traceparent:
        fields["traceparent"] = traceparent
    client_request_id = _client_request_id.get()
    if client_request_id:
        fields["client_request_id"] = client_request_id
    for key in FIELDS:
        value = record.__dict__.get(key)
        if value is not None:
            fields[key] = value
    return fields


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
        entry.update(_fields(record))
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


_LEVEL_COLOURS = {"DEBUG": "2", "INFO": "32", "WARNING": "33", "ERROR": "31", "CRITICAL": "1;31"}


class TextFormatter(logging.Formatter):
    """One readable line: `service HH:MM:SS LEVEL message key=value ...`, coloured on request;
    an exception's traceback follows on its own lines. Redacted like the JSON."""

    def __init__(self, service: str, *, colour: bool = False) -> None:
        super().__init__()
        self.service = service
        self.colour = colour

    def _paint(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    def format(self, record: logging.LogRecord) -> str:
        clock = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        level = record.levelname
        parts = [
            self._paint("36", self.service),
            self._paint("2", clock),
            self._paint(_LEVEL_COLOURS.get(level, "0"), f"{level:<7}"),
            redact(record.getMessage()),
        ]
        fields = " ".join(f"{key}={redact(str(value))}" for key, value in _fields(record).items())
        if fields:
            parts.append(self._paint("2", fields))
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        return line


class _Output(Protocol):
    def isatty(self) -> bool: ...


def choose_format(setting: str | None, *, stream: _Output, production: bool = False) -> LogFormat:
    """`json` or `text` from CANLIAN_LOG_FORMAT's value: auto (or unset) is text on a terminal
    outside production and JSON otherwise."""
    value = (setting or "auto").strip().lower()
    if value in ("json", "text"):
        return "json" if value == "json" else "text"
    if value != "auto":
        raise ValueError(f"{LOG_FORMAT_VARIABLE} must be auto, json or text, not {setting!r}")
    return "text" if stream.isatty() and not production else "json"


def make_formatter(service: str, log_format: LogFormat, *, colour: bool) -> logging.Formatter:
    if log_format == "text":
        return TextFormatter(service, colour=colour)
    return JsonFormatter(service)


def configure_logging(service: str, level: str = "INFO", *, production: bool = False) -> None:
    # The JSON lines carry none of the caller's file and line, thread or process: skip
    # finding them for every record (the logging cookbook's "optimization" settings).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    log_format = choose_format(
        os.environ.get(LOG_FORMAT_VARIABLE), stream=sys.stderr, production=production
    )
    # Colour when the lines reach a terminal (`canlian up` relays them from one, and says so).
    colour = log_format == "text" and (
        sys.stderr.isatty() or os.environ.get("CANLIAN_LOG_COLOUR") == "1"
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(make_formatter(service, log_format, colour=colour))
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
    # Each start of the embedded default migrates: Alembic's "Running upgrade" lines are noise
    # unless one asks for DEBUG.
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)
