"""Query parameters of a region's figures (the regions' and the reports' routes)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

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
