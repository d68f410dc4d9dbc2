"""Steps the end-to-end scenarios share: wait for what the events bring, read a response
that must succeed, and the `If-Match` of an object about to change."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx


async def eventually(probe: Callable[[], Awaitable[Any]], what: str, seconds: float = 60.0) -> Any:
    """The first truthy answer of `probe`, polled until `seconds` have passed (a bound, not
    an asserted time: the scenarios wait for consumers, they do not time them)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = await probe()
        if found:
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"{what} did not happen in time")


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def with_etag(
    client: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> dict[str, str]:
    """`headers` and the `If-Match` of the object at `url` as it reads now."""
    read = await client.get(url, headers=headers or {})
    assert read.status_code == 200, read.text
    return {**(headers or {}), "If-Match": read.headers["ETag"]}
