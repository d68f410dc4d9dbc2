"""What every concept's HTTP API shares: the caller, the region it asks about, the as-of date,
and request bodies that refuse unknown fields."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict

from canlian.common import auth
from canlian.common.divisions import DivisionCode

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
RegionQuery = Annotated[
    DivisionCode | None,
    Query(description="区划(默认为本人管辖范围)/ region, defaults to your scope"),
]
AsOf = Annotated[
    date | None, Query(description="统计日期(默认今天)/ as of this date, default today")
]


def region_of(principal: auth.Principal, region: str | None) -> str:
    """The region asked about: the caller's own scope by default, else one inside it (403)."""
    if region is None:
        return principal.region
    principal.ensure_covers(region)
    return region


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
