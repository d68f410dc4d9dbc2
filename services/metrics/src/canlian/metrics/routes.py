"""HTTP routes of the metrics service: parse, authorise, call the service."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import ValidationError
from sqlalchemy import or_, select

from canlian.common import auth, divisions
from canlian.common.dependencies import Idempotent, Session
from canlian.common.errors import InvalidInput, ProblemError
from canlian.common.i18n import Message
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.tabular_import import (
    Column,
    ImportReport,
    RowError,
    errors_from_validation,
    read_table,
)
from canlian.metrics import repository, schemas, service
from canlian.metrics.models import Indicator, ParkedEvent, Plan, PlanTarget, ReportedValue

router = APIRouter(prefix="/v1")
dashboard_router = APIRouter(tags=["看板 / dashboard"])

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
Admin = Annotated[auth.Principal, Depends(auth.require_roles(auth.ADMIN))]

STATIC_DIR = Path(__file__).resolve().parent / "static"


class InvalidRegionCode(InvalidInput):
    code = "invalid-region-code"
    title = Message(zh="区划代码无效", en="Invalid division code")
    detail = Message(
        zh="区划代码 {value} 无效:{reason}。请使用 12 位统计用区划代码(或 2/4/6/9 位前缀)",
        en="Division code {value} is not valid: {reason}. Use the 12-digit statistical code "
        "(or its 2/4/6/9-digit prefix)",
    )


def region_code(code: str) -> str:
    try:
        return divisions.parse(code)
    except divisions.InvalidDivisionCode as error:
        raise InvalidRegionCode(value=code[:20], reason=str(error)) from None


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request.
async def region_path(code: str) -> str:
    return region_code(code)


Region = Annotated[str, Depends(region_path)]
PlanQuery = Annotated[
    str | None, Query(max_length=40, description="规划代码,用于目标与达标判断 / plan code")
]
AsOf = Annotated[
    date | None,
    Query(description="截至日期(中期、终期评估用),不填为实时 / as-of date, omit for live"),
]
MilestoneQuery = Annotated[
    schemas.Milestone, Query(description="评估节点 midterm 中期 / final 终期 / milestone")
]


# --- catalogue ----------------------------------------------------------------------------


@router.get(
    "/indicators",
    response_model=Page[schemas.IndicatorRead],
    tags=["指标 / indicators"],
    summary="指标目录 / indicator catalogue",
)
async def list_indicators(
    session: Session,
    _principal: Official,
    paging: Paging,
    kind: Annotated[
        schemas.IndicatorKind | None, Query(description="derived / reported 类型筛选")
    ] = None,
) -> Page[schemas.IndicatorRead]:
    statement = select(Indicator)
    if kind is not None:
        statement = statement.where(Indicator.kind == kind.value)
    rows, cursor = await paginate(session, statement, [Indicator.position, Indicator.code], paging)
    return Page(items=[service.indicator_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/indicators/{code}",
    response_model=schemas.IndicatorRead,
    tags=["指标 / indicators"],
    summary="指标定义 / one indicator",
)
async def get_indicator(code: str, session: Session, _principal: Official) -> schemas.IndicatorRead:
    return service.indicator_read(await service.get_indicator(session, code))


@router.post(
    "/indicators",
    status_code=201,
    response_model=schemas.IndicatorRead,
    tags=["指标 / indicators"],
    summary="新增自定义指标(管理员)/ add a custom indicator (admin)",
)
async def create_indicator(
    body: schemas.IndicatorCreate, session: Session, _principal: Admin, idempotent: Idempotent
) -> Response:
    created = await service.create_indicator(session, body)
    return await idempotent.respond(created, status_code=201)


@router.get(
    "/counters",
    response_model=list[schemas.CounterRead],
    tags=["指标 / indicators"],
    summary="可用计数项 / counters the rollups keep",
)
async def list_counters(_principal: Official) -> list[schemas.CounterRead]:
    return [
        schemas.CounterRead(counter=name, description=text)
        for name, text in service.known_counters().items()
    ]


# --- regions ------------------------------------------------------------------------------


@router.get(
    "/regions/{code}",
    response_model=schemas.RegionRead,
    tags=["区划指标 / regions"],
    summary="区划 / a region",
)
async def get_region(code: Region, session: Session, principal: Official) -> schemas.RegionRead:
    return await service.get_region(session, principal, code)


@router.get(
    "/regions/{code}/children",
    response_model=list[schemas.RegionRead],
    tags=["区划指标 / regions"],
    summary="下级区划(区划选择器)/ child regions, for the region picker",
)
async def get_children(
    code: Region, session: Session, principal: Official
) -> list[schemas.RegionRead]:
    await service.get_region(session, principal, code)
    return await service.child_regions(session, code)


@router.get(
    "/regions/{code}/counters",
    response_model=list[schemas.CounterValueRead],
    tags=["区划指标 / regions"],
    summary="区划计数项 / the region's rollup counters",
)
async def get_counters(
    code: Region, session: Session, principal: Official, as_of: AsOf = None
) -> list[schemas.CounterValueRead]:
    await service.get_region(session, principal, code)
    if as_of is None:
        values = await repository.counters_of_division(session, code)
    else:
        values = (
            await repository.counter_values(session, [code], service.known_counters(), as_of)
        )[code]
    return [
        schemas.CounterValueRead(counter=name, value=value)
        for name, value in sorted(values.items())
    ]


@router.get(
    "/regions/{code}/indicators",
    response_model=schemas.RegionIndicators,
    tags=["区划指标 / regions"],
    summary="区划各项指标:实际值、目标、达标状态、差距 / value, target, status and gap",
)
async def region_indicators(
    code: Region,
    session: Session,
    principal: Official,
    plan: PlanQuery = None,
    as_of: AsOf = None,
    milestone: MilestoneQuery = schemas.Milestone.FINAL,
) -> schemas.RegionIndicators:
    return await service.region_indicators(
        session, principal, code, plan_code=plan, as_of=as_of, milestone=milestone
    )


@router.get(
    "/regions/{code}/indicators/{indicator}/children",
    response_model=schemas.DrillDown,
    tags=["区划指标 / regions"],
    summary="下钻:下级区划按差距排序(可指定层级,如省内全部县)/ drill down: children, or "
    "every region of a level below, sorted by gap",
)
async def drill_down(
    code: Region,
    indicator: str,
    session: Session,
    principal: Official,
    paging: Paging,
    plan: PlanQuery = None,
    as_of: AsOf = None,
    milestone: MilestoneQuery = schemas.Milestone.FINAL,
    level: Annotated[
        schemas.Level | None,
        Query(description="下钻到该层级(默认直接下级)/ level to list, default the children"),
    ] = None,
) -> schemas.DrillDown:
    # The order is computed (by gap), so the cursor holds the position in it.
    offset = service.decode_offset(paging.cursor) if paging.cursor else 0
    return await service.drill_down(
        session,
        principal,
        code,
        indicator,
        plan_code=plan,
        as_of=as_of,
        milestone=milestone,
        offset=offset,
        limit=paging.limit,
        level=level.number if level is not None else None,
    )


@router.get(
    "/regions/{code}/indicators/{indicator}/trend",
    response_model=schemas.Trend,
    tags=["区划指标 / regions"],
    summary="规划期内逐年趋势 / trend over the plan period",
)
async def trend(
    code: Region,
    indicator: str,
    session: Session,
    principal: Official,
    plan: Annotated[str, Query(max_length=40, description="规划代码 / plan code")],
) -> schemas.Trend:
    return await service.trend(session, principal, code, indicator, plan)


@router.get(
    "/regions/{code}/indicators/{indicator}/daily",
    response_model=list[schemas.DailyPoint],
    tags=["区划指标 / regions"],
    summary="逐日快照(某日终了时的值,最多 366 天)/ daily snapshots over a range",
)
async def daily(
    code: Region,
    indicator: str,
    session: Session,
    principal: Official,
    start: Annotated[date, Query(description="起始日 / first day")],
    end: Annotated[date, Query(description="终止日 / last day")],
) -> list[schemas.DailyPoint]:
    return await service.daily_values(session, principal, code, indicator, start, end)


ReportDepth = Annotated[
    int, Query(ge=0, le=3, description="向下包含的层级数(每级一个工作表)/ levels below")
]
ReportIndicators = Annotated[
    list[str] | None,
    Query(description="只含这些指标;默认为规划中设有目标的指标 / only these indicators"),
]


async def requested_report(
    code: Region,
    session: Session,
    principal: Official,
    plan: PlanQuery = None,
    as_of: AsOf = None,
    milestone: MilestoneQuery = schemas.Milestone.FINAL,
    depth: ReportDepth = 1,
    indicator: ReportIndicators = None,
) -> service.Report:
    """The report both formats render, from the same query parameters."""
    return await service.build_report(
        session,
        principal,
        code,
        plan_code=plan,
        as_of=as_of,
        milestone=milestone,
        depth=depth,
        indicator_codes=indicator or [],
    )


RequestedReport = Annotated[service.Report, Depends(requested_report)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/regions/{code}/report.xlsx",
    tags=["报表 / reports"],
    summary="上报统计表(Excel,每级一个工作表,可直接打印)/ statistical report as Excel",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
async def report_xlsx(code: Region, report: RequestedReport) -> Response:
    return Response(
        service.report_workbook(report),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="report-{code}.xlsx"'},
    )


@router.get(
    "/regions/{code}/report.csv",
    tags=["报表 / reports"],
    summary="上报统计表(CSV)/ statistical report as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def report_csv(code: Region, report: RequestedReport) -> Response:
    return Response(
        service.report_csv(report).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="report-{code}.csv"'},
    )


# --- plans, targets, reported values ------------------------------------------------------


@router.post(
    "/plans",
    status_code=201,
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
    response_model=list[schemas.PlanTargetRead],
    tags=["规划 / plans"],
    summary="设定目标(上级设定的目标下级继承,下级可单独设定)/ set targets",
)
async def set_targets(
    plan: str, body: schemas.TargetsSet, session: Session, principal: Official
) -> list[schemas.PlanTargetRead]:
    return await service.set_targets(session, principal, plan, body)


@router.get(
    "/plans/{plan}/targets",
    response_model=Page[schemas.PlanTargetRead],
    tags=["规划 / plans"],
    summary="规划中设定的目标 / targets set in a plan",
)
async def list_targets(
    plan: str, session: Session, principal: Official, paging: Paging
) -> Page[schemas.PlanTargetRead]:
    found = await service.get_plan(session, principal, plan)
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
    return Page(items=[service.target_read(row) for row in rows], next_cursor=cursor)


@router.delete(
    "/plans/{plan}/targets",
    status_code=204,
    tags=["规划 / plans"],
    summary="删除目标(如撤销县级单独目标,恢复继承上级)/ remove a target",
)
async def remove_target(
    plan: str,
    session: Session,
    principal: Official,
    indicator: Annotated[str, Query(max_length=60, description="指标代码 / indicator")],
    region: Annotated[str, Query(max_length=12, description="设定目标的区划 / region")],
    applies_to: Annotated[
        schemas.Level | None, Query(description="目标适用层级 / level the target is for")
    ] = None,
) -> Response:
    await service.remove_target(
        session, principal, plan, indicator, region_code(region), applies_to
    )
    return Response(status_code=204)


@router.get(
    "/plans/{plan}/targets/history",
    response_model=list[schemas.TargetChange],
    tags=["规划 / plans"],
    summary="目标修改记录(谁、何时、由何改为何)/ who changed which target, when, how",
)
async def target_history(
    plan: str, session: Session, principal: Official
) -> list[schemas.TargetChange]:
    return await service.target_history(session, principal, plan)


@router.post(
    "/plans/{plan}/reported-values",
    status_code=201,
    response_model=schemas.ReportedValuesAccepted,
    tags=["规划 / plans"],
    summary="填报部门指标值(全部校验通过才保存)/ submit reported values, all or nothing",
)
async def submit_reported_values(
    plan: str,
    body: schemas.ReportedValuesSubmit,
    session: Session,
    principal: Official,
    idempotent: Idempotent,
) -> Response:
    accepted = await service.submit_reported_values(session, principal, plan, body.values)
    return await idempotent.respond(
        schemas.ReportedValuesAccepted(accepted=accepted), status_code=201
    )


@router.get(
    "/plans/{plan}/reported-values/template.xlsx",
    tags=["规划 / plans"],
    summary="填报模板(Excel)/ upload template",
    response_class=Response,
    responses={200: {"content": {"application/vnd.ms-excel": {}}}},
)
async def reported_values_template(plan: str, session: Session, principal: Official) -> Response:
    return Response(
        await service.reported_values_template(session, principal, plan),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="reported-values-{plan}.xlsx"'},
    )


REPORTED_COLUMNS = (
    Column("indicator", ("指标代码", "指标")),
    Column("region", ("区划代码", "区划")),
    Column("year", ("年度", "年份")),
    Column("value", ("数值", "指标值")),
)


@router.post(
    "/plans/{plan}/reported-values/upload",
    response_model=ImportReport,
    tags=["规划 / plans"],
    summary="以 Excel/CSV 填报(列:指标代码、区划代码、年度、数值)/ upload reported values",
)
async def upload_reported_values(
    plan: str,
    session: Session,
    principal: Official,
    file: Annotated[UploadFile, File(description="xlsx 或 csv 文件 / the workbook")],
    dry_run: Annotated[bool, Query(description="只校验不保存 / validate only")] = False,
) -> ImportReport:
    await service.get_plan(session, principal, plan)
    content = await file.read()
    errors: list[RowError] = []
    parsed: list[tuple[int, schemas.ReportedValueSubmit]] = []
    total = 0
    for row in read_table(content, file.filename or "", REPORTED_COLUMNS, errors):
        total += 1
        try:
            parsed.append((row.number, schemas.ReportedValueSubmit.model_validate(row.values)))
        except ValidationError as error:
            errors.extend(errors_from_validation(row.number, error))
    # Domain rules per row, so the report names every bad row, not only the first.
    for number, item in parsed:
        try:
            await service.check_reported_value(session, principal, plan, item)
        except ProblemError as error:
            reason = error.render_detail("zh") or error.title.zh
            errors.append(RowError(row=number, field="-", reason=reason))
    bad_rows = {error.row for error in errors}
    imported = 0
    if not bad_rows and not dry_run and parsed:
        imported = await service.submit_reported_values(
            session, principal, plan, [item for _, item in parsed]
        )
    return ImportReport(
        total_rows=total,
        valid_rows=total - len(bad_rows),
        invalid_rows=len(bad_rows),
        imported_rows=imported,
        dry_run=dry_run,
        errors=errors,
    )


@router.get(
    "/plans/{plan}/reported-values",
    response_model=Page[schemas.ReportedValueRead],
    tags=["规划 / plans"],
    summary="已填报的部门指标值 / reported values",
)
async def list_reported_values(
    plan: str, session: Session, principal: Official, paging: Paging
) -> Page[schemas.ReportedValueRead]:
    found = await service.get_plan(session, principal, plan)
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
                submitted_by=row.submitted_by,
                submitted_at=row.submitted_at,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


# --- operations ---------------------------------------------------------------------------


@router.get(
    "/parked-events",
    response_model=Page[schemas.ParkedEventRead],
    tags=["运维 / operations"],
    summary="暂存的无法处理的事件(管理员)/ parked events (admin)",
)
async def list_parked_events(
    session: Session, _principal: Admin, paging: Paging
) -> Page[schemas.ParkedEventRead]:
    rows, cursor = await paginate(
        session, select(ParkedEvent), [ParkedEvent.parked_at, ParkedEvent.event_id], paging
    )
    return Page(
        items=[
            schemas.ParkedEventRead(
                event_id=row.event_id,
                event_type=row.event_type,
                dataschema=row.dataschema,
                reason=row.reason,
                parked_at=row.parked_at,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


@router.post(
    "/parked-events/replay",
    response_model=schemas.ParkedReplay,
    tags=["运维 / operations"],
    summary="重试暂存事件(部署新版本后)/ retry parked events after a deploy (admin)",
)
async def replay_parked_events(
    session: Session,
    _principal: Admin,
    limit: Annotated[int, Query(ge=1, le=5000, description="最多重试条数 / at most")] = 1000,
) -> schemas.ParkedReplay:
    return await service.replay_parked(session, limit)


@router.get(
    "/reconciliation",
    response_model=schemas.ReconcileReport,
    tags=["运维 / operations"],
    summary="核对:按实体贡献重算全部计数并列出差异(管理员)/ reconcile (admin)",
)
async def reconcile(session: Session, _principal: Admin) -> schemas.ReconcileReport:
    return await service.reconcile_contributions(session)


# --- dashboard ----------------------------------------------------------------------------


@dashboard_router.get(
    "/dashboard", include_in_schema=False, response_class=FileResponse, summary="指标看板"
)
async def dashboard() -> FileResponse:
    return FileResponse(STATIC_DIR / "dashboard.html", media_type="text/html; charset=utf-8")
