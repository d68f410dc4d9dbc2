"""FastAPI dependencies shared by every service's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import CurrentPrincipal
from canlian.common.idempotency import (
    IdempotentRequest,
    ReplayedResponse,
    request_fingerprint,
    validate_key,
)
from canlian.common.runtime import ServiceRuntime


# Dependencies are `async def` even when they do not await: FastAPI runs a plain `def` in
# the thread pool, and that hop costs more than the whole dependency.
async def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]


async def get_session(runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: commits before the response is sent, or rolls back."""
    async with runtime.database.session() as session:
        yield session


# scope="function": the commit happens before the response leaves, so a client that sees
# success can rely on it.
Session = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_idempotent_request(
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="幂等键:重试时使用同一键,不会重复创建 / retry with the same key",
        ),
    ] = None,
) -> IdempotentRequest:
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/") and "boundary=" in content_type:
        # A client retrying an upload picks a new random boundary; the parts are what count.
        boundary = content_type.split("boundary=", 1)[1].split(";")[0].strip().strip('"')
        body = body.replace(boundary.encode(), b"")
    idempotent = IdempotentRequest(
        session,
        runtime.tables,
        principal=principal.subject,
        key=validate_key(idempotency_key),
        method=request.method,
        path=request.url.path,
        fingerprint=request_fingerprint(request.method, request.url.path, body),
    )
    stored = await idempotent.stored_response()
    if stored is not None:
        raise ReplayedResponse(stored)
    return idempotent


Idempotent = Annotated[IdempotentRequest, Depends(get_idempotent_request)]
