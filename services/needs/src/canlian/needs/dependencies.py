"""Route dependencies every concept's routes share: the unit of work's context, the
officials' and the committee members' roles and the shape of ids in paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from canlian.common import auth, divisions
from canlian.common.dependencies import Session, runtime_of
from canlian.needs.context import Context
from canlian.needs.settings import NeedsSettings

ID_PATTERN = r"^[A-Za-z0-9._-]+$"

# Ids are UUIDs; anything else cannot name an object.
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
# The mobile app's `/v1/me/...`: `sub` is the members service's member id.
CommitteeMemberUser = Annotated[auth.Principal, Depends(auth.require_roles(auth.COMMITTEE_MEMBER))]


def _needs_settings(request: Request) -> NeedsSettings:
    settings = runtime_of(request).settings
    if isinstance(settings, NeedsSettings):
        return settings
    return NeedsSettings.model_validate(settings.model_dump())


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request.
async def official_context(request: Request, session: Session, principal: Official) -> Context:
    runtime = runtime_of(request)
    return Context(
        session, principal, runtime.outbox, runtime.personal_data, _needs_settings(request)
    )


OfficialContext = Annotated[Context, Depends(official_context)]


async def committee_member_context(
    request: Request, session: Session, principal: CommitteeMemberUser
) -> Context:
    runtime = runtime_of(request)
    return Context(
        session, principal, runtime.outbox, runtime.personal_data, _needs_settings(request)
    )


CommitteeMemberContext = Annotated[Context, Depends(committee_member_context)]


def region_prefix(context: Context, division: str | None) -> str:
    """The caller's scope, or a narrower region inside it (403 outside)."""
    if division is None:
        return context.principal.region_prefix
    context.principal.ensure_covers(division)
    return divisions.prefix(division)
