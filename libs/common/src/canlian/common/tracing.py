"""W3C Trace Context: the `traceparent` of the request being handled.

The request middleware takes the caller's `traceparent` (or starts a trace) and binds a child
of it for this service; the outbox stores it in each event's envelope (the CloudEvents
Distributed Tracing extension), and consumers log it beside what they did with the event.
"""

from __future__ import annotations

import contextvars
import re
import secrets

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "canlian_traceparent", default=None
)


def parse(value: str | None) -> tuple[str, str, str] | None:
    """(trace id, parent id, flags) of a valid version-00 header, else None."""
    if value is None:
        return None
    match = _TRACEPARENT.match(value.strip().lower())
    if match is None:
        return None
    version, trace_id, parent_id, flags = match.groups()
    if version == "ff" or trace_id == "0" * 32 or parent_id == "0" * 16:
        return None
    return trace_id, parent_id, flags


def child_of(incoming: str | None) -> str:
    """This service's span in the caller's trace, or the root of a new trace."""
    parsed = parse(incoming)
    trace_id, flags = (parsed[0], parsed[2]) if parsed else (secrets.token_hex(16), "01")
    return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"


def current_traceparent() -> str | None:
    return _current.get()


def bind_traceparent(value: str | None) -> contextvars.Token[str | None]:
    return _current.set(value)


def reset_traceparent(token: contextvars.Token[str | None]) -> None:
    _current.reset(token)
