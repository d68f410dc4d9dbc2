"""What every router of the service shares: who may call, the region a list covers, the
common parameters, and the strict request body."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from canlian.common import auth, divisions
from canlian.common.errors import OutsideScope
from canlian.common.values import HumanText

# Portals verify cards (in the cards service) and read nothing here: not the registry, not
# leaders' disability categories, not even the divisions.
Reader = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
DivisionReader = Annotated[
    auth.Principal, Depends(auth.require_roles(auth.OFFICIAL, auth.VOLUNTEER))
]
Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]

AsOf = Annotated[
    date | None,
    Query(description="查询该日期的区划(历史)/ the hierarchy as of this date; default today"),
]
OrganisationId = Annotated[str, Path(max_length=36, description="组织编号 / organisation id")]

# Names are plain human text: no control, bidi or zero-width character, never blank.
Name = Annotated[HumanText, Field(max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def search_prefix(principal: auth.Principal, within: str | None) -> str:
    """The code prefix a list may cover: the narrower of `within` and the caller's region."""
    if within is None or divisions.is_within(principal.region, within):
        return principal.region_prefix
    if not principal.covers(within):
        raise OutsideScope(what="区划 / division")
    return divisions.prefix(within)
