"""Driving an ASGI app by hand, to see how much of a request body it read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Exchange:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    body_read: int = 0  # bytes of the request body the app took from `receive`

    def json(self) -> Any:
        return json.loads(self.body)


async def send_request(
    app: Any,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    body_size: int,
    chunk: int = 1024 * 1024,
    declare_length: bool = True,
    prefix: bytes = b"",
) -> Exchange:
    """Offer a body of `body_size` bytes in chunks; count what the app reads of it."""
    exchange = Exchange()
    sent = 0
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    if declare_length:
        raw_headers.append((b"content-length", str(body_size).encode()))
    else:
        raw_headers.append((b"transfer-encoding", b"chunked"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent >= body_size:
            return {"type": "http.disconnect"}
        size = min(chunk, body_size - sent)
        data = (prefix + b" " * size)[:size] if sent == 0 else b" " * size
        sent += size
        exchange.body_read = sent
        return {"type": "http.request", "body": data, "more_body": sent < body_size}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")

    await app(scope, receive, send)
    return exchange
