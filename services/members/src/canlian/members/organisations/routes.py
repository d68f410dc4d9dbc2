"""Organisations known from the registry's events."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common import divisions
from canlian.common.dependencies import Session
from canlian.common.pagination import Page, Paging, paginate
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.organisations import repository
from canlian.members.organisations.models import Organisation
from canlian.members.organisations.schemas import OrganisationRead

router = APIRouter(prefix="/v1", tags=["组织 / organisations"])


@router.get(
    "/organisations",
    response_model=Page[OrganisationRead],
    summary="组织登记中的组织(由事件同步)/ organisations as the registry announced them",
)
async def list_organisations(
    session: Session, principal: Official, paging: Paging, region: RegionQuery = None
) -> Page[OrganisationRead]:
    prefix = divisions.prefix(region_of(principal, region))
    rows, cursor = await paginate(
        session, repository.organisations_in(prefix), [Organisation.organisation_id], paging
    )
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
