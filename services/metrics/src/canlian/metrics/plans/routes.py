"""Routes of plans, targets and reported values."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import or_, select

from canlian.common import divisions
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Session, runtime_of
from canlian.common.import_jobs.accepting import (
    ACCEPTED_RESPONSES,
    PreferHeader,
    accept_in_background,
)
from canlian.common.locations import created
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.common.tabular_import import ImportReport
from canlian.metrics import hierarchy
from canlian.metrics.parameters import Official, region_code
from canlian.metrics.plans import reported_values, schemas, service, uploads
from canlian.metrics.plans import targets as plans_targets
from canlian.metrics.plans.models import Plan, PlanTarget, ReportedValue
from canlian.metrics.plans.problems import PLAN_OWNED_ABOVE_RESPONSE

# The media type sent and documented (the stateful fuzzer found the two apart).
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter(prefix="/v1")


@router.post(
    "/plans",
    status_code=201,
    openapi_extra=created("/v1/plans/{code}"),
    response_model=schemas.PlanRead,
    tags=["规划 / plans"],
    summary="新建规划(如十二五)/ create a plan",
)
async def create_plan(
    body: schemas.PlanCreate, session: Session, principal: Official, idempotent: Idempotent
) -> Response:
    created = await service.create_plan(session, principal, body)
    return await idempotent.respond(created, status_code=201)


@router.get(
    "/plans",
    response_model=Page[schemas.PlanRead],
    tags=["规划 / plans"],
    summary="规划列表(本级及上级、下级发布的)/ plans visible to the caller",
)
async def list_plans(
    session: Session, principal: Official, paging: Paging
) -> Page[schemas.PlanRead]:
    # Plans of the caller's subtree and of the regions above it (a county sees its province's).
    visible = [Plan.division_code.startswith(principal.region_prefix)]
    visible.append(Plan.division_code.in_(divisions.lineage(principal.region)))
    statement = select(Plan).where(or_(*visible))
    rows, cursor = await paginate(session, statement, [Plan.start_year, Plan.code], paging)
    return Page(items=[service.plan_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/plans/{plan}",
    response_model=schemas.PlanRead,
    tags=["规划 / plans"],
    summary="规划 / one plan",
)
async def get_plan(plan: str, session: Session, principal: Official) -> schemas.PlanRead:
    return service.plan_read(await service.get_plan(session, principal, plan))


@router.put(
    "/plans/{plan}/targets",
    response_model=Items[schemas.PlanTargetRead],
    tags=["规划 / plans"],
    summary="设定目标(上级设定的目标下级继承,下级可单独设定)/ set targets",
    description="只新增目标时无需 If-Match;修改已有目标时回传目标列表的 ETag(规划的目标版本)。 / "
    "Adding only new targets needs no If-Match; replacing one sends the ETag of the plan's "
    "target list.",
    responses={403: PLAN_OWNED_ABOVE_RESPONSE},
)
async def set_targets(
    plan: str,
    body: schemas.TargetsSet,
    session: Session,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> Items[schemas.PlanTargetRead]:
    stored, version = await plans_targets.set_targets(session, principal, plan, body, precondition)
    response.headers["ETag"] = etag(version)
    return Items(items=stored)


@router.get(
    "/plans/{plan}/targets",
    response_model=Page[schemas.PlanTargetRead],
    tags=["规划 / plans"],
    summary="规划中设定的目标(ETag 为规划的目标版本)/ targets set in a plan (the ETag: the "
    "plan's targets version)",
)
async def list_targets(
    plan: str, session: Session, principal: Official, paging: Paging, response: Response
) -> Page[schemas.PlanTargetRead]:
    found = await service.get_plan(session, principal, plan)
    response.headers["ETag"] = etag(found.targets_version)
    statement = select(PlanTarget).where(
        PlanTarget.plan_code == found.code,
        or_(
            PlanTarget.division_code.startswith(principal.region_prefix),
            PlanTarget.division_code.in_(divisions.lineage(principal.region)),
        ),
    )
    rows, cursor = await paginate(
        session,
        statement,
        [PlanTarget.division_code, PlanTarget.indicator_code, PlanTarget.id],
        paging,
    )
    return Page(items=[plans_targets.target_read(row) for row in rows], next_cursor=cursor)


@router.delete(
    "/plans/{plan}/targets",
    status_code=204,
    tags=["规划 / plans"],
    summary="删除目标(如撤销县级单独目标,恢复继承上级)/ remove a target",
    responses={403: PLAN_OWNED_ABOVE_RESPONSE},
)
async def remove_target(
    plan: str,
    session: Session,
    principal: Official,
    indicator: Annotated[str, Query(max_length=60, description="指标代码 / indicator")],
    region: Annotated[str, Query(max_length=12, description="设定目标的区划 / region")],
    precondition: IfMatch,
    applies_to: Annotated[
        hierarchy.Level | None, Query(description="目标适用层级 / level the target is for")
    ] = None,
) -> Response:
    version = await plans_targets.remove_target(
        session, principal, plan, indicator, region_code(region), applies_to, precondition
    )
    return Response(status_code=204, headers={"ETag": etag(version)})


@router.get(
    "/plans/{plan}/targets/history",
    response_model=Items[schemas.TargetChange],
    tags=["规划 / plans"],
    summary="目标修改记录(谁、何时、由何改为何)/ who changed which target, when, how",
)
async def target_history(
    plan: str, session: Session, principal: Official
) -> Items[schemas.TargetChange]:
    return Items(items=await plans_targets.target_history(session, principal, plan))


@router.post(
    "/plans/{plan}/reported-values",
    status_code=201,
    openapi_extra=created("/v1/plans/{plan}/reported-values"),
    response_model=schemas.ReportedValuesAccepted,
    tags=["规划 / plans"],
    summary="填报部门指标值(全部校验通过才保存)/ submit reported values, all or nothing",
    description="只填报新值时无需 If-Match;改动已填报的值时回传填报值列表的 ETag。 / New values "
    "need no If-Match; changing a value reported before sends the ETag of the reported-values "
    "list.",
)
async def submit_reported_values(
    plan: str,
    body: schemas.ReportedValuesSubmit,
    session: Session,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> Response:
    accepted, version = await reported_values.submit_reported_values(
        session, principal, plan, body.values, precondition
    )
    reply = await idempotent.respond(
        schemas.ReportedValuesAccepted(accepted=accepted), status_code=201
    )
    reply.headers["ETag"] = etag(version)
    return reply


@router.get(
    "/plans/{plan}/reported-values/template.xlsx",
    tags=["规划 / plans"],
    summary="填报模板(Excel)/ upload template",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
async def reported_values_template(plan: str, session: Session, principal: Official) -> Response:
    return Response(
        await reported_values.reported_values_template(session, principal, plan),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="reported-values-{plan}.xlsx"'},
    )


@router.post(
    "/plans/{plan}/reported-values/upload",
    response_model=ImportReport,
    tags=["规划 / plans"],
    summary="以 Excel/CSV 填报(列:指标代码、区划代码、年度、分子、分母或数值)/ upload reported "
    "values",
    description="`Prefer: respond-async`(或行数超过 CANLIAN_IMPORT_BACKGROUND_ROWS)时在后台"
    "导入:202 和任务地址,报告在任务完成后给出。 / With `Prefer: respond-async` (or more rows "
    "than CANLIAN_IMPORT_BACKGROUND_ROWS) the upload runs in the background: 202 with the "
    "job's Location, whose report comes when it has finished.",
    responses=ACCEPTED_RESPONSES,
)
async def upload_reported_values(
    plan: str,
    request: Request,
    session: Session,
    principal: Official,
    file: Annotated[UploadFile, File(description="xlsx 或 csv 文件 / the workbook")],
    precondition: IfMatch,
    dry_run: Annotated[bool, Query(description="只校验不保存 / validate only")] = False,
    prefer: PreferHeader = None,
) -> Response | ImportReport:
    await service.get_plan(session, principal, plan)  # 404 now, not in the job
    content = await file.read()
    accepted = await accept_in_background(
        request,
        session,
        runtime_of(request),
        principal,
        None,
        kind=uploads.REPORTED_VALUES_IMPORT.name,
        content=content,
        filename=file.filename or "",
        options={"plan": plan, "dry_run": dry_run, "if_match": precondition.if_match},
        prefer=prefer,
    )
    if accepted is not None:
        return accepted
    return await uploads.import_reported_values(
        session,
        principal,
        plan,
        content,
        file.filename or "",
        dry_run=dry_run,
        precondition=precondition,
    )


@router.get(
    "/plans/{plan}/reported-values",
    response_model=Page[schemas.ReportedValueRead],
    tags=["规划 / plans"],
    summary="已填报的部门指标值(ETag 为规划的填报值版本)/ reported values (the ETag: the "
    "plan's reported-values version)",
)
async def list_reported_values(
    plan: str, session: Session, principal: Official, paging: Paging, response: Response
) -> Page[schemas.ReportedValueRead]:
    found = await service.get_plan(session, principal, plan)
    response.headers["ETag"] = etag(found.reported_values_version)
    statement = select(ReportedValue).where(
        ReportedValue.plan_code == found.code,
        ReportedValue.division_code.startswith(principal.region_prefix),
    )
    rows, cursor = await paginate(
        session,
        statement,
        [ReportedValue.division_code, ReportedValue.indicator_code, ReportedValue.year],
        paging,
    )
    return Page(
        items=[
            schemas.ReportedValueRead(
                indicator=row.indicator_code,
                region=row.division_code,
                year=row.year,
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                submitted_by=row.submitted_by,
                submitted_at=row.submitted_at,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )
