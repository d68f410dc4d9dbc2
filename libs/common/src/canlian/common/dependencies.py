"""FastAPI dependencies shared by every service's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import CurrentPrincipal, Principal
from canlian.common.concurrency import Precondition
from canlian.common.idempotency import (
    IdempotentRequest,
    ReplayedResponse,
    authorised_fingerprint,
    key_scope,
    request_fingerprint,
    validate_key,
)
from canlian.common.request_body import spool_body
from canlian.common.runtime import ServiceRuntime


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


# Dependencies are `async def` even when they do not await: FastAPI runs a plain `def` in
# the thread pool, and that hop costs more than the whole dependency.
async def get_runtime(request: Request) -> ServiceRuntime:
    return runtime_of(request)


Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]

# The dependencies below read the runtime with `runtime_of(request)` instead of taking
# `Runtime`: FastAPI solves a shared sub-dependency again under every dependency that uses
# it (it caches only the call), and each dependency solved costs on every request.


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: commits before the response is sent, or rolls back."""
    async with runtime_of(request).database.session() as session:
        yield session


# scope="function": the commit happens before the response leaves, so a client that sees
# success can rely on it.
Session = Annotated[AsyncSession, Depends(get_session, scope="function")]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="幂等键:重试时使用同一键,不会重复创建 / retry with the same key",
        # What to send (a UUID fits); the key is checked by `idempotency.validate_key`.
        json_schema_extra={"pattern": "^[!-~]{1,200}$"},
    ),
]


async def get_idempotent_request(
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    idempotency_key: IdempotencyKey = None,
) -> IdempotentRequest:
    return await idempotent_request(request, session, principal, idempotency_key)


async def idempotent_request(
    request: Request, session: AsyncSession, principal: Principal, idempotency_key: str | None
) -> IdempotentRequest:
    """The request's idempotency: a stored answer for its key is replayed (raised as
    `ReplayedResponse`). A plain function too, for a service's dependency that solves it
    with others in one: each dependency FastAPI solves costs on every request."""
    key = validate_key(idempotency_key)
    path = request.url.path
    # What the request asks is its body and, for the actions given by their query (a region,
    # a limit), its query too: the same key with another of either is another request.
    query = sorted(request.query_params.multi_items())
    target = f"{path}?{urlencode(query)}" if query else path
    fingerprint = ""  # only compared with a stored key's, so only needed with a key
    if key is not None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/") and "boundary=" in content_type:
            # A client retrying an upload picks a new random boundary; the parts are what
            # count. Uploads are hashed as they stream to a temporary file, never buffered.
            boundary = content_type.split("boundary=", 1)[1].split(";")[0].strip().strip('"')
            digest = await spool_body(request, strip=boundary.encode())
            fingerprint = request_fingerprint(request.method, target, digest.encode())
        else:
            fingerprint = request_fingerprint(request.method, target, await request.body())
        fingerprint = authorised_fingerprint(principal, fingerprint)
    idempotent = IdempotentRequest(
        session,
        runtime_of(request).tables,
        principal=key_scope(principal, request.method, path),
        key=key,
        method=request.method,
        path=path,
        fingerprint=fingerprint,
    )
    stored = await idempotent.stored_response()
    if stored is not None:
        raise ReplayedResponse(stored)
    return idempotent


Idempotent = Annotated[IdempotentRequest, Depends(get_idempotent_request)]


async def get_precondition(
    request: Request,
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="读取时得到的 ETag;对象已被修改则 412,缺少则 428 / the ETag you read: "
            "412 if the object changed since, 428 when missing",
        ),
    ] = None,
) -> Precondition:
    required = runtime_of(request).settings.canlian_require_if_match
    return Precondition(if_match=if_match, required=required)


IfMatch = Annotated[Precondition, Depends(get_precondition)]


# A conditional GET: the ETag of an answer read before; 304 when it is still the answer.
IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        description="此前读取时得到的 ETag;答案未变则 304,无响应体 / the ETag of an answer "
        "read before: 304 with no body while it is still the answer",
    ),
]
