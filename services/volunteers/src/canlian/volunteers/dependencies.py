"""Route dependencies every concept's routes share: the unit of work's context, the
callers' roles and the shape of ids in paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from canlian.common import auth
from canlian.common.dependencies import Runtime, Session
from canlian.volunteers.bodies import ID_PATTERN
from canlian.volunteers.context import Context
from canlian.volunteers.settings import VolunteersSettings

# Ids are UUIDs or identity-provider subjects; anything else cannot name an object.
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
VolunteerUser = Annotated[auth.Principal, Depends(auth.require_roles(auth.VOLUNTEER))]
Reviewer = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL, auth.VOLUNTEER))]


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request.
async def get_context(session: Session, runtime: Runtime) -> Context:
    settings = runtime.settings
    assert isinstance(settings, VolunteersSettings)
    return Context(session, runtime.outbox, runtime.personal_data, settings)


RequestContext = Annotated[Context, Depends(get_context)]
