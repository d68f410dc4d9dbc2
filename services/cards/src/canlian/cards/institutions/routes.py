"""HTTP routes of designated assessment institutions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from canlian.cards.bodies import MAX_ID
from canlian.cards.dependencies import OfficialContext, OfficialWrite
from canlian.cards.institutions import repository, service
from canlian.cards.institutions.models import Institution
from canlian.cards.institutions.schemas import InstitutionCreate, InstitutionRead
from canlian.common.concurrency import etag
from canlian.common.dependencies import IfMatch
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate

router = APIRouter(prefix="/v1")

InstitutionId = Annotated[int, Path(ge=1, le=MAX_ID, description="机构编号 / institution id")]


def institution_view(institution: Institution) -> InstitutionRead:
    return InstitutionRead(
        id=institution.id,
        name=institution.name,
        division_code=institution.division_code,
        active=institution.active,
        version=institution.version,
    )


@router.post(
    "/institutions",
    status_code=201,
    openapi_extra=created("/v1/institutions/{id}"),
    response_model=InstitutionRead,
    tags=["institutions"],
    summary="指定评定机构 / Designate an assessment institution",
)
async def designate_institution(body: InstitutionCreate, write: OfficialWrite) -> object:
    ctx, idempotent = write
    institution = await service.designate_institution(ctx, body)
    return await idempotent.respond(institution_view(institution), status_code=201)


@router.get(
    "/institutions",
    response_model=Page[InstitutionRead],
    tags=["institutions"],
    summary="本地区可用的指定评定机构 / Institutions serving your region (yours and above)",
)
async def list_institutions(
    ctx: OfficialContext,
    paging: Paging,
    active: Annotated[bool | None, Query(description="只看现行/已撤销 / active only")] = True,
) -> Page[InstitutionRead]:
    statement = repository.institutions_query(ctx.principal.region, active)
    rows, cursor = await paginate(ctx.session, statement, [Institution.id], paging)
    return Page(items=[institution_view(row) for row in rows], next_cursor=cursor)


@router.get(
    "/institutions/{institution_id}",
    response_model=InstitutionRead,
    tags=["institutions"],
    summary="评定机构 / An institution serving your region",
)
async def get_institution(
    institution_id: InstitutionId, ctx: OfficialContext, response: Response
) -> InstitutionRead:
    institution = await service.institution_serving(ctx, institution_id)
    response.headers["ETag"] = etag(institution.version)
    return institution_view(institution)


@router.post(
    "/institutions/{institution_id}/revoke",
    response_model=InstitutionRead,
    tags=["institutions"],
    summary="撤销指定 / Withdraw the designation",
)
async def revoke_institution(
    institution_id: InstitutionId,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> InstitutionRead:
    institution = await service.revoke_institution(ctx, institution_id, precondition)
    response.headers["ETag"] = etag(institution.version)
    return institution_view(institution)
