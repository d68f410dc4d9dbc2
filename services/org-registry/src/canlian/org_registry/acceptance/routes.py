"""HTTP routes of standardisation acceptance."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import AcceptanceResult, InspectionSnapshot
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.query_parameters import RegionOrWithin
from canlian.org_registry.acceptance import repository, rules, service
from canlian.org_registry.acceptance.models import AcceptanceChecklist, Inspection
from canlian.org_registry.acceptance.schemas import (
    ChecklistCreate,
    ChecklistId,
    ChecklistItemRead,
    ChecklistRead,
    FindingRead,
    InspectionCreate,
    InspectionId,
    InspectionRead,
)
from canlian.org_registry.api import Official, OrganisationId, Reader, search_prefix
from canlian.org_registry.context import context_of
from canlian.org_registry.organisations.responses import organisation_read
from canlian.org_registry.organisations.schemas import OrganisationRead
from canlian.org_registry.organisations.service import readable

router = APIRouter(prefix="/v1", tags=["规范化建设验收 / standardisation acceptance"])

Administrator = Annotated[auth.Principal, Depends(auth.require_roles(auth.ADMIN))]


def checklist_read(checklist: rules.Checklist) -> ChecklistRead:
    return ChecklistRead(
        id=checklist.id,
        division_code=checklist.division_code,
        level=checklist.level,
        effective_from=checklist.effective_from,
        title=checklist.title,
        items=[
            ChecklistItemRead(code=item.code, title=item.title, points=item.points)
            for item in checklist.items
        ],
        total_points=checklist.total_points,
        pass_mark=checklist.pass_mark,
        conditional_mark=checklist.conditional_mark,
        validity_years=checklist.validity_years,
        seed=rules.SEED if checklist.id is None else None,
    )


def stored_read(checklist: AcceptanceChecklist) -> ChecklistRead:
    return checklist_read(service.as_rules(checklist))


def inspection_read(inspection: Inspection) -> InspectionRead:
    return InspectionRead(
        id=inspection.id,
        version=inspection.version,
        organisation_id=inspection.organisation_id,
        division_code=inspection.division_code,
        checklist_id=inspection.checklist_id,
        inspector_division_code=inspection.inspector_division_code,
        inspected_on=inspection.inspected_on,
        findings=[
            FindingRead(
                item=finding.item_code,
                title=finding.item_title,
                points=finding.points,
                score=finding.score,
                finding=finding.finding,
            )
            for finding in inspection.findings
        ],
        total_score=inspection.total_score,
        pass_mark=inspection.pass_mark,
        result=AcceptanceResult(inspection.result),
        valid_until=inspection.valid_until,
        conditions=inspection.conditions,
        reinspection_of=inspection.reinspection_of,
        superseded_by=inspection.superseded_by,
        recorded_at=inspection.recorded_at,
    )


@router.post(
    "/acceptance-checklists",
    status_code=201,
    openapi_extra=created("/v1/acceptance-checklists/{id}"),
    response_model=ChecklistRead,
    summary="制定某层级组织的验收标准(项目、分值、合格分)/ set a level's acceptance checklist",
    description="管理员为本地区下级组织制定,自起用日期起替代上级或种子标准;"
    "标准不修改,另定新的 / an administrator sets it for the levels below the region, "
    "replacing the one above or the seed's from its date; a checklist is never edited, a "
    "later one replaces it",
)
async def set_checklist(
    body: ChecklistCreate,
    session: Session,
    runtime: Runtime,
    principal: Administrator,
    idempotent: Idempotent,
) -> object:
    checklist = await service.set_checklist(session, context_of(runtime, principal), body)
    loaded = await service.get_checklist(session, context_of(runtime, principal), checklist.id)
    reply = await idempotent.respond(stored_read(loaded))
    reply.headers["ETag"] = etag(loaded.version)
    return reply


@router.get(
    "/acceptance-checklists",
    response_model=Page[ChecklistRead],
    summary="本地区制定的验收标准 / the checklists regions within yours set",
)
async def list_checklists(
    session: Session,
    principal: Reader,
    paging: Paging,
    region: Annotated[DivisionCode | None, Query(description="区划内 / within a region")] = None,
    level: Annotated[int | None, Query(ge=1, le=5, description="层级 / level")] = None,
) -> Page[ChecklistRead]:
    statement = repository.checklists_in(search_prefix(principal, region), level)
    rows, cursor = await paginate(session, statement, [AcceptanceChecklist.id], paging)
    return Page(items=[stored_read(row) for row in rows], next_cursor=cursor)


@router.get("/acceptance-checklists/{checklist_id}", response_model=ChecklistRead)
async def get_checklist(
    checklist_id: ChecklistId,
    session: Session,
    runtime: Runtime,
    principal: Reader,
    response: Response,
) -> ChecklistRead:
    checklist = await service.get_checklist(session, context_of(runtime, principal), checklist_id)
    response.headers["ETag"] = etag(checklist.version)
    return stored_read(checklist)


@router.get(
    "/organisations/{organisation_id}/acceptance-checklist",
    response_model=ChecklistRead,
    summary="该组织某日适用的验收标准 / the checklist an organisation is inspected against",
)
async def checklist_of_organisation(
    organisation_id: OrganisationId,
    session: Session,
    principal: Reader,
    response: Response,
    on: Annotated[date | None, Query(description="日期(默认今天)/ on, default today")] = None,
) -> ChecklistRead:
    organisation = await readable(session, principal, organisation_id)
    checklist = await service.checklist_for(session, organisation, on or china_today())
    response.headers["ETag"] = etag(1)  # a checklist is never edited
    return checklist_read(checklist)


@router.post(
    "/organisations/{organisation_id}/inspections",
    status_code=201,
    openapi_extra=created("/v1/inspections/{id}"),
    response_model=InspectionRead,
    summary="上级实地验收:逐项评分 / the level above inspects, item by item",
    description="总分达合格分为 passed,达限期整改分为 passed_with_conditions(一年内复验),"
    "否则 failed;同级或下级验收 403;已有验收记录时请提交复验 / the total decides passed, "
    "passed with conditions (re-inspect within a year) or failed; an inspector at the same level "
    "or below gets 403; once inspected, submit a re-inspection",
)
async def inspect(
    organisation_id: OrganisationId,
    body: InspectionCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    context = context_of(runtime, principal)
    created = await service.inspect(session, context, organisation_id, body)
    reply = await idempotent.respond(inspection_read(created))
    reply.headers["ETag"] = etag(created.version)
    return reply


@router.get(
    "/organisations/{organisation_id}/inspections",
    response_model=Page[InspectionRead],
    summary="该组织的验收与复验记录 / an organisation's inspections and re-inspections",
)
async def list_inspections(
    organisation_id: OrganisationId, session: Session, principal: Reader, paging: Paging
) -> Page[InspectionRead]:
    await readable(session, principal, organisation_id)
    rows, cursor = await paginate(
        session,
        repository.inspections_of(organisation_id),
        [Inspection.inspected_on, Inspection.id],
        paging,
    )
    return Page(items=[inspection_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/inspection-snapshots",
    response_model=Page[InspectionSnapshot],
    summary="当前有效的验收记录快照(与事件同形,供指标核对)/ the current inspections, shaped as "
    "their events, for reconciliation",
    description="复验取代的记录不列出(其结果不再计入指标)/ inspections a re-inspection replaced "
    "are not listed: they no longer count",
)
async def inspection_snapshots(
    session: Session, principal: Reader, paging: Paging, region: RegionOrWithin
) -> Page[InspectionSnapshot]:
    statement = repository.current_inspections_in(search_prefix(principal, region))
    rows, cursor = await paginate(session, statement, [Inspection.id], paging)
    found = await repository.levels_and_kinds(session, [row.organisation_id for row in rows])
    return Page(
        items=[service.inspection_snapshot(row, *found[row.organisation_id]) for row in rows],
        next_cursor=cursor,
    )


@router.get("/inspections/{inspection_id}", response_model=InspectionRead)
async def get_inspection(
    inspection_id: InspectionId,
    session: Session,
    runtime: Runtime,
    principal: Reader,
    response: Response,
) -> InspectionRead:
    found = await service.get_inspection(session, context_of(runtime, principal), inspection_id)
    response.headers["ETag"] = etag(found.version)
    return inspection_read(found)


@router.post(
    "/inspections/{inspection_id}/reinspections",
    status_code=201,
    openapi_extra=created("/v1/inspections/{id}"),
    response_model=InspectionRead,
    summary="复验(取代原验收记录)/ re-inspect, replacing the inspection",
    description="If-Match 为原验收记录的 ETag / If-Match is the replaced inspection's ETag",
)
async def reinspect(
    inspection_id: InspectionId,
    body: InspectionCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> object:
    context = context_of(runtime, principal)
    created = await service.reinspect(session, context, inspection_id, body, precondition)
    reply = await idempotent.respond(inspection_read(created))
    reply.headers["ETag"] = etag(created.version)
    return reply


@router.post(
    "/organisations/{organisation_id}/demonstration-site",
    response_model=OrganisationRead,
    summary="确定为示范点(须验收合格且在有效期内)/ designate a demonstration site (passed, "
    "still valid)",
    description="If-Match 为组织的 ETag;未验收、限期整改、不合格或已过有效期 409 / If-Match is the "
    "organisation's ETag; not inspected, conditional, failed or expired: 409",
)
async def designate_demonstration_site(
    organisation_id: OrganisationId,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> object:
    organisation = await service.designate_demonstration_site(
        session, context_of(runtime, principal), organisation_id, precondition
    )
    reply = await idempotent.respond(organisation_read(organisation), status_code=200)
    reply.headers["ETag"] = etag(organisation.version)
    return reply
