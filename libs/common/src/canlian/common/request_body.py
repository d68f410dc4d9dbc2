"""Reading a large request body without holding it in memory.

`spool_body` streams the body to a temporary file (in memory up to 1 MiB, on disk beyond),
hashing it on the way, and puts the file back as the request's stream, so that the form
parser that comes after reads it again from disk. The size limit is enforced while it
streams (`web_security.SecurityMiddleware`).
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import Any

from starlette.requests import Request
from starlette.types import Message

SPOOL_IN_MEMORY_BYTES = 1024 * 1024
_CHUNK = 64 * 1024


async def spool_body(request: Request, *, strip: bytes = b"") -> str:
    """The SHA-256 of the body with every occurrence of `strip` removed; the body stays
    readable (`request.stream()`, `request.form()`) from the spooled file."""
    spool: Any = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    digest = hashlib.sha256()
    carry = b""
    keep = max(len(strip) - 1, 0)
    async for chunk in request.stream():
        if not chunk:
            continue
        spool.write(chunk)
        data = carry + chunk
        if strip:
            data = data.replace(strip, b"")
        carry = data[max(len(data) - keep, 0) :] if keep else b""
        digest.update(data[: len(data) - len(carry)])
    digest.update(carry)
    spool.seek(0)

    async def replay() -> Message:
        chunk = spool.read(_CHUNK)
        more = len(chunk) == _CHUNK
        if not more:
            spool.close()
        return {"type": "http.request", "body": chunk, "more_body": more}

    # Starlette reads the stream from `_receive` once; hand it the spooled copy instead.
    request._receive = replay
    request._stream_consumed = False
    return digest.hexdigest()
