"""HTTP routes of the organisations: register, list, read, change, dissolve, audit trail."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.events.org_registry import (
    OrganisationKind,
    OrganisationSnapshot,
    OrganisationStatus,
)
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.query_parameters import RegionOrWithin
from canlian.common.sorting import SortOrder, paginate_by, sorting
from canlian.org_registry.api import Official, OrganisationId, Reader, search_prefix
from canlian.org_registry.context import context_of
from canlian.org_registry.organisations import repository, service
from canlian.org_registry.organisations.models import ChangeRecord, Organisation
from canlian.org_registry.organisations.responses import organisation_read, summary
from canlian.org_registry.organisations.schemas import (
    ChangeRecordRead,
    DissolutionCreate,
    OrganisationCreate,
    OrganisationRead,
    OrganisationSummary,
    OrganisationUpdate,
)
from canlian.org_registry.organisations.service import readable
from canlian.org_registry.organisations.versions import snapshot

# By region (default: the register's order), by name, or by level (province to village).
ORGANISATION_ORDERS = sorting(
    {
        "division_code": [Organisation.division_code, Organisation.id],
        "name": [Organisation.name, Organisation.id],
        "level": [Organisation.level, Organisation.division_code, Organisation.id],
    },
    default="division_code",
)
OrganisationOrder = Annotated[SortOrder, Depends(ORGANISATION_ORDERS)]

router = APIRouter(prefix="/v1", tags=["organisations"])


@router.post(
    "/organisations",
    status_code=201,
    openapi_extra=created("/v1/organisations/{id}"),
    response_model=OrganisationRead,
    summary="登记组织(残联、残协、小组、专门协会、企业残协)/ register an organisation",
)
async def establish_organisation(
    body: OrganisationCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    organisation = await service.establish(session, context_of(runtime, principal), body)
    return await idempotent.respond(organisation_read(organisation))


@router.get(
    "/organisations",
    response_model=Page[OrganisationSummary],
    summary="组织列表 / organisations in a region",
)
async def list_organisations(
    session: Session,
    principal: Reader,
    paging: Paging,
    within: RegionOrWithin,
    order: OrganisationOrder,
    kind: OrganisationKind | None = None,
    status: OrganisationStatus | None = None,
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
) -> Page[OrganisationSummary]:
    statement = repository.organisations_query(
        search_prefix(principal, within),
        kind.value if kind else None,
        status.value if status else None,
        level,
    )
    rows, cursor = await paginate_by(session, statement, order, paging)
    return Page(items=[summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/organisation-snapshots",
    response_model=Page[OrganisationSnapshot],
    summary="组织快照(与事件同形,供核对重算)/ current snapshots, shaped as the events, "
    "for reconciliation",
)
async def organisation_snapshots(
    session: Session,
    principal: Reader,
    paging: Paging,
    within: RegionOrWithin,
) -> Page[OrganisationSnapshot]:
    statement = repository.snapshots_query(search_prefix(principal, within))
    rows, cursor = await paginate(session, statement, [Organisation.id], paging)
    return Page(items=[snapshot(row) for row in rows], next_cursor=cursor)


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationRead,
    summary="组织详情 / an organisation",
)
async def get_organisation(
    organisation_id: OrganisationId, session: Session, principal: Reader, response: Response
) -> OrganisationRead:
    organisation = await readable(session, principal, organisation_id)
    response.headers["ETag"] = etag(organisation.version)
    return organisation_read(organisation)


@router.patch(
    "/organisations/{organisation_id}",
    response_model=OrganisationRead,
    summary="修改组织(名称、覆盖范围、规范化建设)/ change an organisation",
)
async def update_organisation(
    organisation_id: OrganisationId,
    body: OrganisationUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> OrganisationRead:
    organisation = await service.update(
        session, context_of(runtime, principal), organisation_id, body, precondition
    )
    response.headers["ETag"] = etag(organisation.version)
    return organisation_read(organisation)


@router.post(
    "/organisations/{organisation_id}/dissolution",
    response_model=OrganisationRead,
    summary="撤销组织 / dissolve an organisation",
)
async def dissolve_organisation(
    organisation_id: OrganisationId,
    body: DissolutionCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> object:
    organisation = await service.dissolve(
        session, context_of(runtime, principal), organisation_id, body, precondition
    )
    reply = await idempotent.respond(organisation_read(organisation), status_code=200)
    reply.headers["ETag"] = etag(organisation.version)
    return reply


@router.get(
    "/organisations/{organisation_id}/changes",
    response_model=Page[ChangeRecordRead],
    summary="变更记录(谁、何时、变更前后)/ audit trail: who, when, before, after",
)
async def organisation_changes(
    organisation_id: OrganisationId, session: Session, principal: Official, paging: Paging
) -> Page[ChangeRecordRead]:
    await readable(session, principal, organisation_id)
    rows, cursor = await paginate(
        session, repository.change_records_query(organisation_id), [ChangeRecord.id], paging
    )
    return Page(
        items=[
            ChangeRecordRead(
                id=row.id,
                occurred_at=row.occurred_at,
                actor=row.actor,
                action=row.action,
                before=json.loads(row.before) if row.before else None,
                after=json.loads(row.after) if row.after else None,
                request_id=row.request_id,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )
