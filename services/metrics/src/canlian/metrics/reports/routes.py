"""Routes of the statistical reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from canlian.common.dependencies import Session
from canlian.metrics.parameters import Official, Region
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.regions.parameters import AsOf, MilestoneQuery, PlanQuery
from canlian.metrics.reports import formats, service

router = APIRouter(prefix="/v1")


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
    milestone: MilestoneQuery = regions_schemas.Milestone.FINAL,
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
        formats.report_workbook(report),
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
        formats.report_csv(report).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="report-{code}.csv"'},
    )
