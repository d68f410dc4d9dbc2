"""Query parameters of a region's figures (the regions' and the reports' routes)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError

from canlian.metrics.regions import schemas

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


_OLD = "已弃用,请用 {0} / deprecated: use `{0}`"


async def date_range(
    first: Annotated[date | None, Query(alias="from", description="起始日(含)/ first day")] = None,
    last: Annotated[date | None, Query(alias="to", description="终止日(含)/ last day")] = None,
    start: Annotated[date | None, Query(deprecated=True, description=_OLD.format("from"))] = None,
    end: Annotated[date | None, Query(deprecated=True, description=_OLD.format("to"))] = None,
) -> tuple[date, date]:
    """`from` and `to`, the platform's names of a date range (`start`/`end` were this one's)."""
    first, last = first or start, last or end
    if first is None or last is None:
        raise RequestValidationError(
            [
                {"type": "missing", "loc": ("query", name), "msg": "Field required", "input": None}
                for name, value in (("from", first), ("to", last))
                if value is None
            ]
        )
    return first, last


DateRange = Annotated[tuple[date, date], Depends(date_range)]
