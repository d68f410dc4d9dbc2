"""What the routes of every concept share: the caller's context (official or portal), and the
region filter narrowed within the caller's scope."""

from __future__ import annotations

from typing import Annotated, NamedTuple

from fastapi import Depends, Query, Request

from canlian.cards.context import Context
from canlian.cards.settings import CardsSettings
from canlian.common import auth, divisions
from canlian.common.dependencies import IdempotencyKey, Session, idempotent_request, runtime_of
from canlian.common.divisions import DivisionCode
from canlian.common.idempotency import IdempotentRequest
from canlian.common.runtime import ServiceRuntime

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]

Portal = Annotated[auth.Principal, Depends(auth.require_roles(auth.PORTAL))]


def cards_settings(runtime: ServiceRuntime) -> CardsSettings:
    settings = runtime.settings
    if isinstance(settings, CardsSettings):
        return settings
    return CardsSettings.model_validate(settings.model_dump())


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request. The
# runtime comes from the request, not as a dependency: see canlian.common.dependencies.
async def official_context(request: Request, session: Session, principal: Official) -> Context:
    runtime = runtime_of(request)
    return Context.of(session, runtime, cards_settings(runtime), principal)


async def portal_context(request: Request, session: Session, principal: Portal) -> Context:
    runtime = runtime_of(request)
    return Context.of(session, runtime, cards_settings(runtime), principal)


class Write(NamedTuple):
    """An official's write: the context, and the request's idempotency (its key's stored
    answer replayed before the route runs)."""

    ctx: Context
    idempotent: IdempotentRequest


async def official_write(
    request: Request, session: Session, principal: Official, idempotency_key: IdempotencyKey = None
) -> Write:
    """The official's context and the idempotency as one dependency: solved apart, each
    would solve the session and the token under it again (FastAPI caches only the calls),
    and every dependency solved costs on every request."""
    runtime = runtime_of(request)
    ctx = Context.of(session, runtime, cards_settings(runtime), principal)
    return Write(ctx, await idempotent_request(request, session, principal, idempotency_key))


OfficialContext = Annotated[Context, Depends(official_context)]

OfficialWrite = Annotated[Write, Depends(official_write)]

PortalContext = Annotated[Context, Depends(portal_context)]

RegionFilter = Annotated[
    DivisionCode | None,
    Query(description="区划代码,须在管辖范围内 / division within your scope"),
]


def region_prefix(ctx: Context, region: str | None) -> str:
    """The caller's scope, or a narrower region inside it (403 outside)."""
    if region is None:
        return ctx.principal.region_prefix
    ctx.principal.ensure_covers(region)
    return divisions.prefix(region)
