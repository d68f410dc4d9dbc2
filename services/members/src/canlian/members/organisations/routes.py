"""Organisations known from the registry's events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from canlian.common import divisions
from canlian.common.dependencies import Session
from canlian.common.pagination import Page, Paging
from canlian.common.sorting import SortOrder, paginate_by, sorting
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.organisations import repository
from canlian.members.organisations.models import Organisation
from canlian.members.organisations.schemas import OrganisationRead

# By the registry's id (default), by name, or by region.
ORGANISATION_ORDERS = sorting(
    {
        "organisation_id": [Organisation.organisation_id],
        "name": [Organisation.name, Organisation.organisation_id],
        "division_code": [Organisation.division_code, Organisation.organisation_id],
    },
    default="organisation_id",
)
OrganisationOrder = Annotated[SortOrder, Depends(ORGANISATION_ORDERS)]

router = APIRouter(prefix="/v1", tags=["组织 / organisations"])


@router.get(
    "/organisations",
    response_model=Page[OrganisationRead],
    summary="组织登记中的组织(由事件同步)/ organisations as the registry announced them",
)
async def list_organisations(
    session: Session,
    principal: Official,
    paging: Paging,
    order: OrganisationOrder,
    region: RegionQuery = None,
) -> Page[OrganisationRead]:
    prefix = divisions.prefix(region_of(principal, region))
    rows, cursor = await paginate_by(session, repository.organisations_in(prefix), order, paging)
    return Page(
        items=[
            OrganisationRead(
                organisation_id=row.organisation_id,
                name=row.name,
                kind=row.kind,
                level=row.level,
                division_code=row.division_code,
                status=row.status,
                covered_divisions=[item.division_code for item in row.coverage],
                version=row.version,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )
