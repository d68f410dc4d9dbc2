"""Routes of the statistical reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from canlian.common.dependencies import Session
from canlian.metrics.parameters import Official, Region
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.regions.parameters import AsOf, MilestoneQuery, PlanQuery
from canlian.metrics.reports import formats, publication, service, statistical, statistical_xlsx

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


ReportPeriod = Annotated[
    str,
    Query(
        max_length=20,
        description="统计期:final 终期、midterm 中期,或规划期内的年份 / final, midterm or a year",
    ),
]


async def requested_statistical_report(
    code: Region,
    session: Session,
    principal: Official,
    plan: Annotated[str, Query(max_length=40, description="规划代码 / plan code")],
    period: ReportPeriod = "final",
) -> statistical.StatisticalReport:
    return await statistical.build_statistical_report(
        session, principal, code, plan_code=plan, period=period
    )


StatisticalReportQuery = Annotated[
    statistical.StatisticalReport, Depends(requested_statistical_report)
]


@router.get(
    "/regions/{code}/statistical-report.xlsx",
    tags=["报表 / reports"],
    summary="规划执行情况统计表(Excel,A4 横向,含表头)/ the statistical form as Excel",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
async def statistical_report_xlsx(code: Region, report: StatisticalReportQuery) -> Response:
    return Response(
        statistical_xlsx.statistical_workbook(report),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="statistics-{code}-{report.year}.xlsx"'
        },
    )


@router.get(
    "/regions/{code}/statistical-report.pdf",
    tags=["报表 / reports"],
    summary="规划执行情况统计表(PDF,信息公开,不含个人信息)/ the statistical form for publication",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def statistical_report_pdf(code: Region, report: StatisticalReportQuery) -> Response:
    return Response(
        publication.statistical_pdf(report),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="statistics-{code}-{report.year}.pdf"'
        },
    )
