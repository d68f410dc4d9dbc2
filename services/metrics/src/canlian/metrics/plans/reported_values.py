"""Values departments report for the reported indicators: checked, stored, templated."""

from __future__ import annotations

import io
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import InvalidInput
from canlian.metrics.catalogue import repository as catalogue_repository
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.catalogue.models import Indicator
from canlian.metrics.catalogue.service import get_indicator
from canlian.metrics.divisions.known import ensure_known
from canlian.metrics.plans import repository, schemas
from canlian.metrics.plans.problems import (
    NegativeValue,
    NotReportedIndicator,
    PeriodOutsidePlan,
    ValueOutOfRange,
)
from canlian.metrics.plans.service import ensure_in_plan, get_plan


def _check_value(indicator: Indicator, value: float, error: type[InvalidInput]) -> None:
    if value < 0:
        raise NegativeValue(indicator=indicator.code, value=value)
    if indicator.unit == catalogue_schemas.IndicatorUnit.PERCENT and value > 100:
        raise error(indicator=indicator.code, value=value)


async def check_reported_value(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    item: schemas.ReportedValueSubmit,
    indicators: dict[str, Indicator] | None = None,
) -> None:
    plan = await get_plan(session, principal, plan_code)
    principal.ensure_covers(item.region)
    ensure_in_plan(plan, item.region)
    await ensure_known(session, [item.region])
    cache = indicators if indicators is not None else {}
    if item.indicator not in cache:
        cache[item.indicator] = await get_indicator(session, item.indicator)
    indicator = cache[item.indicator]
    if indicator.kind != catalogue_schemas.IndicatorKind.REPORTED:
        raise NotReportedIndicator(indicator=indicator.code)
    if not plan.start_year <= item.year <= plan.end_year:
        raise PeriodOutsidePlan(
            year=item.year, plan=plan.code, start=plan.start_year, end=plan.end_year
        )
    _check_value(indicator, item.value, ValueOutOfRange)


async def unchanged_values(
    session: AsyncSession, values: Sequence[schemas.ReportedValueSubmit]
) -> set[int]:
    """Positions of the values stored already as they are: an upload of the same file again
    rewrites nothing."""
    keys = [(item.indicator, item.region, item.year) for item in values]
    stored = await repository.recorded_values(session, keys)
    return {
        position
        for position, (key, item) in enumerate(zip(keys, values, strict=True))
        if key in stored and stored[key] == item.value
    }


async def submit_reported_values(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    values: Sequence[schemas.ReportedValueSubmit],
) -> int:
    """All or nothing: every value is checked before any is stored; a resubmission for the
    same indicator, region and year replaces the earlier value."""
    plan = await get_plan(session, principal, plan_code)
    indicators: dict[str, Indicator] = {}
    for item in values:
        await check_reported_value(session, principal, plan_code, item, indicators)
    now = utcnow()
    rows = {
        (item.indicator, item.region, item.year): {
            "indicator_code": item.indicator,
            "division_code": item.region,
            "year": item.year,
            "value": item.value,
            "plan_code": plan.code,
            "submitted_by": principal.subject,
            "submitted_at": now,
        }
        for item in values
    }
    await repository.save_reported_values(session, [rows[key] for key in sorted(rows)])
    await repository.write_audit(
        session,
        principal,
        action="reported-values.submitted",
        object_type="plan",
        object_id=plan.code,
        detail="; ".join(
            f"{code} {region} {year}={rows[(code, region, year)]['value']}"
            for code, region, year in sorted(rows)
        )[:4000],
    )
    return len(rows)


async def reported_values_template(
    session: AsyncSession, principal: Principal, plan_code: str
) -> bytes:
    """The upload template: the columns to fill, and the reported indicators with their
    codes and Chinese names, for the plan's years."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    plan = await get_plan(session, principal, plan_code)
    indicators = [
        item
        for item in await catalogue_repository.all_indicators(session)
        if item.kind == catalogue_schemas.IndicatorKind.REPORTED
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "填报"
    sheet.append(["指标代码", "区划代码", "年度", "数值"])
    for indicator in indicators:
        sheet.append([indicator.code, principal.region, plan.end_year, None])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 16
    guide = workbook.create_sheet("指标说明")
    guide.append(["指标代码", "指标名称", "单位", f"年度范围 {plan.start_year}–{plan.end_year}"])
    for indicator in indicators:
        guide.append(
            [indicator.code, indicator.name_zh, "%" if indicator.unit == "percent" else ""]
        )
    guide.column_dimensions["A"].width = 38
    guide.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
