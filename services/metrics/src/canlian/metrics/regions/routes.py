"""Routes of regions and their figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from canlian.common.dependencies import IfNoneMatch, Session
from canlian.common.pagination import Items, Paging
from canlian.metrics import hierarchy
from canlian.metrics.answers.serving import KEPT_ANSWER_RESPONSES, kept_answer
from canlian.metrics.contributions import mappers as contributions_mappers
from canlian.metrics.parameters import Official, Region
from canlian.metrics.regions import drill_down as regions_drill_down
from canlian.metrics.regions import evaluation, history, repository, schemas, service
from canlian.metrics.regions.parameters import AsOf, DateRange, MilestoneQuery, PlanQuery

router = APIRouter(prefix="/v1")


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
    response_model=Items[schemas.RegionRead],
    tags=["区划指标 / regions"],
    summary="下级区划(区划选择器)/ child regions, for the region picker",
)
async def get_children(
    code: Region, session: Session, principal: Official
) -> Items[schemas.RegionRead]:
    await service.get_region(session, principal, code)
    return Items(items=await service.child_regions(session, code))


@router.get(
    "/regions/{code}/counters",
    response_model=Items[schemas.CounterValueRead],
    tags=["区划指标 / regions"],
    summary="区划计数项 / the region's rollup counters",
)
async def get_counters(
    code: Region, session: Session, principal: Official, as_of: AsOf = None
) -> Items[schemas.CounterValueRead]:
    await service.get_region(session, principal, code)
    if as_of is None:
        values = await repository.counters_of_division(session, code)
    else:
        values = (
            await repository.counter_values(
                session, [code], contributions_mappers.known_counters(), as_of
            )
        )[code]
    return Items(
        items=[
            schemas.CounterValueRead(counter=name, value=value)
            for name, value in sorted(values.items())
        ]
    )


@router.get(
    "/regions/{code}/indicators",
    response_model=schemas.RegionIndicators,
    tags=["区划指标 / regions"],
    summary="区划各项指标:实际值、目标、达标状态、差距 / value, target, status and gap",
    responses=KEPT_ANSWER_RESPONSES,
)
async def region_indicators(
    request: Request,
    code: Region,
    session: Session,
    principal: Official,
    if_none_match: IfNoneMatch = None,
    plan: PlanQuery = None,
    as_of: AsOf = None,
    milestone: MilestoneQuery = schemas.Milestone.FINAL,
) -> Response:
    service.ensure_covers(principal, code)
    return await kept_answer(
        request,
        principal,
        if_none_match,
        lambda: evaluation.region_indicators(
            session, principal, code, plan_code=plan, as_of=as_of, milestone=milestone
        ),
    )


@router.get(
    "/regions/{code}/indicators/{indicator}/children",
    response_model=schemas.DrillDown,
    tags=["区划指标 / regions"],
    summary="下钻:下级区划按差距排序(可指定层级,如省内全部县)/ drill down: children, or "
    "every region of a level below, sorted by gap",
    responses=KEPT_ANSWER_RESPONSES,
)
async def drill_down(
    request: Request,
    code: Region,
    indicator: str,
    session: Session,
    principal: Official,
    paging: Paging,
    if_none_match: IfNoneMatch = None,
    plan: PlanQuery = None,
    as_of: AsOf = None,
    milestone: MilestoneQuery = schemas.Milestone.FINAL,
    level: Annotated[
        hierarchy.Level | None,
        Query(description="下钻到该层级(默认直接下级)/ level to list, default the children"),
    ] = None,
) -> Response:
    service.ensure_covers(principal, code)
    # The order is computed (by gap), so the cursor holds the position in it.
    offset = regions_drill_down.decode_offset(paging.cursor) if paging.cursor else 0
    return await kept_answer(
        request,
        principal,
        if_none_match,
        lambda: regions_drill_down.drill_down(
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
        ),
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
    return await history.trend(session, principal, code, indicator, plan)


@router.get(
    "/regions/{code}/indicators/{indicator}/daily",
    response_model=Items[schemas.DailyPoint],
    tags=["区划指标 / regions"],
    summary="逐日快照(某日终了时的值,最多 366 天)/ daily snapshots over a range",
)
async def daily(
    code: Region,
    indicator: str,
    session: Session,
    principal: Official,
    days: DateRange,
) -> Items[schemas.DailyPoint]:
    start, end = days
    return Items(items=await history.daily_values(session, principal, code, indicator, start, end))
