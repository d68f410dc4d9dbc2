"""Officials' reports on volunteers and on the service they gave."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from canlian.common.query_parameters import RegionOrDivision
from canlian.volunteers.dependencies import Official, RequestContext
from canlian.volunteers.reports import service
from canlian.volunteers.reports.schemas import ServiceReport, VolunteerReport

router = APIRouter(prefix="/v1")


@router.get(
    "/reports/volunteers",
    response_model=VolunteerReport,
    tags=["reports"],
    summary="志愿者注册情况 / volunteers registered in a region",
    description="按下一级区划统计在册、手语、经培训手语、已退出人数及星级分布",
)
async def volunteers_report(
    context: RequestContext,
    principal: Official,
    division: RegionOrDivision = None,
) -> VolunteerReport:
    code = division or principal.region
    principal.ensure_covers(code)
    return await service.volunteer_report(context.session, code)


@router.get(
    "/reports/service",
    response_model=ServiceReport,
    tags=["reports"],
    summary="服务时长与人次 / hours and person-times served per region and period",
    description="只计已确认的记录;按服务日期(北京时间)和服务地区划统计 / confirmed records "
    "only, by the China-time date and the division where the service was given",
)
async def service_report(
    context: RequestContext,
    principal: Official,
    served_from: Annotated[date, Query(alias="from", description="起始日期(含)")],
    served_to: Annotated[date, Query(alias="to", description="结束日期(含)")],
    division: RegionOrDivision = None,
    by_month: Annotated[bool, Query(description="按月分列 / one row per month too")] = False,
) -> ServiceReport:
    code = division or principal.region
    principal.ensure_covers(code)
    return await service.service_report(
        context.session, code, served_from, served_to, by_month=by_month
    )
