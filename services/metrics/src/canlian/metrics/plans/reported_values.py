"""Values departments report for the reported indicators: checked, stored, templated."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import InvalidInput
from canlian.metrics.catalogue import repository as catalogue_repository
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.catalogue.models import Indicator
from canlian.metrics.catalogue.service import get_indicator
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.divisions.known import division_label, ensure_known
from canlian.metrics.plans import repository, schemas
from canlian.metrics.plans.problems import (
    NegativeValue,
    NoDenominatorHere,
    NotReportedIndicator,
    NumeratorAboveDenominator,
    PeriodOutsidePlan,
    ReportPerCounty,
    ValueOutOfRange,
    ZeroDenominator,
)
from canlian.metrics.plans.service import ensure_in_plan, get_plan


def _check_value(indicator: Indicator, value: float, error: type[InvalidInput]) -> None:
    if value < 0:
        raise NegativeValue(indicator=indicator.code, value=value)
    if indicator.unit == catalogue_schemas.IndicatorUnit.PERCENT and value > 100:
        raise error(indicator=indicator.code, value=value)


def adds_up(indicator: Indicator) -> bool:
    """Ratios and counts are reported per county and summed above it."""
    return indicator.measure in (
        catalogue_schemas.IndicatorMeasure.RATIO,
        catalogue_schemas.IndicatorMeasure.COUNT,
    )


def _check_counts(indicator: Indicator, item: schemas.ReportedValueSubmit) -> None:
    numerator, denominator = item.numerator, item.denominator
    if numerator is None or denominator is None:
        return
    if indicator.measure != catalogue_schemas.IndicatorMeasure.RATIO:
        raise NoDenominatorHere(indicator=indicator.code)
    for count in (numerator, denominator):
        if count < 0:
            raise NegativeValue(indicator=indicator.code, value=count)
    if numerator > denominator:
        raise NumeratorAboveDenominator(
            indicator=indicator.code, numerator=numerator, denominator=denominator
        )
    if denominator == 0:
        raise ZeroDenominator(indicator=indicator.code)


def value_of(indicator: Indicator, item: schemas.ReportedValueSubmit) -> float:
    """The value stored: as given, or the ratio of the counts (a percentage for percents)."""
    if item.numerator is None or item.denominator is None:
        assert item.value is not None  # the schema asks for one or the other
        return item.value
    factor = 100.0 if indicator.unit == catalogue_schemas.IndicatorUnit.PERCENT else 1.0
    return round(item.numerator * factor / item.denominator, 4)


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
    if adds_up(indicator) and divisions.level_of(item.region) != divisions.DivisionLevel.COUNTY:
        # A city's or province's value is computed from its counties, never typed.
        raise ReportPerCounty(
            indicator=indicator.code, region=await division_label(session, item.region)
        )
    _check_counts(indicator, item)
    _check_value(indicator, value_of(indicator, item), ValueOutOfRange)


async def _compared(
    session: AsyncSession, values: Sequence[schemas.ReportedValueSubmit]
) -> tuple[set[int], set[int]]:
    """Positions of the values stored already as they are, and of those that would replace
    a different stored value."""
    keys = [(item.indicator, item.region, item.year) for item in values]
    stored = await repository.recorded_values(session, keys)
    same: set[int] = set()
    replacing: set[int] = set()
    for position, (key, item) in enumerate(zip(keys, values, strict=True)):
        if key not in stored:
            continue
        sent = (
            (None, item.numerator, item.denominator)
            if item.numerator is not None
            else (item.value, None, None)
        )
        (same if stored[key] == sent else replacing).add(position)
    return same, replacing


async def unchanged_values(
    session: AsyncSession, values: Sequence[schemas.ReportedValueSubmit]
) -> set[int]:
    """Positions of the values stored already as they are: an upload of the same file again
    rewrites nothing."""
    return (await _compared(session, values))[0]


async def submit_reported_values(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    values: Sequence[schemas.ReportedValueSubmit],
    precondition: Precondition,
) -> tuple[int, int]:
    """All or nothing: every value is checked before any is stored; a resubmission for the
    same indicator, region and year replaces the earlier value. New values need no If-Match;
    replacing a different stored value names the plan's reported-values version (the ETag
    of its list). Answers the values stored and the new version."""
    plan = await get_plan(session, principal, plan_code, lock=True)
    indicators: dict[str, Indicator] = {}
    for item in values:
        await check_reported_value(session, principal, plan_code, item, indicators)
    _, replacing = await _compared(session, values)
    precondition.check_collection(plan.reported_values_version, replaces=bool(replacing))
    plan.reported_values_version += 1
    now = utcnow()
    rows = {
        (item.indicator, item.region, item.year): {
            "indicator_code": item.indicator,
            "division_code": item.region,
            "year": item.year,
            "value": value_of(indicators[item.indicator], item),
            "numerator": item.numerator,
            "denominator": item.denominator,
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
            f"{code} {region} {year}={_audited(rows[(code, region, year)])}"
            for code, region, year in sorted(rows)
        )[:4000],
    )
    return len(rows), plan.reported_values_version


_HOW_TO_REPORT = {
    "ratio": "按县填分子、分母(无分母时可只填数值,上级显示为不完整)",
    "count": "按县填数值(数量),上级为各县之和",
    "plain": "填数值,不向上汇总",
}


def _audited(row: Mapping[str, object]) -> str:
    if row["numerator"] is not None:
        return f"{row['numerator']}/{row['denominator']}"
    return str(row["value"])


# A template longer than this (a province's every county) keeps one row per indicator.
_TEMPLATE_COUNTIES = 30


async def _template_counties(session: AsyncSession, region: str) -> list[str]:
    """The counties below a city (or a small province), for the template's rows."""
    if divisions.level_of(region) >= divisions.DivisionLevel.COUNTY:
        return []
    found = await divisions_repository.divisions_at_level(
        session, divisions.prefix(region), int(divisions.DivisionLevel.COUNTY)
    )
    return [row.code for row in found] if len(found) <= _TEMPLATE_COUNTIES else []


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
    sheet.append(["指标代码", "区划代码", "年度", "分子", "分母", "数值"])
    counties = await _template_counties(session, principal.region)
    for indicator in indicators:
        # Figures that add up are typed per county: a row for each county below the caller.
        for region in counties if adds_up(indicator) and counties else [principal.region]:
            sheet.append([indicator.code, region, plan.end_year, None, None, None])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 16
    guide = workbook.create_sheet("指标说明")
    guide.append(
        [
            "指标代码",
            "指标名称",
            "单位",
            "填报口径",
            f"年度范围 {plan.start_year}–{plan.end_year}",
        ]
    )
    for indicator in indicators:
        guide.append(
            [
                indicator.code,
                indicator.name_zh,
                "%" if indicator.unit == "percent" else "",
                _HOW_TO_REPORT.get(indicator.measure or "plain", ""),
            ]
        )
    guide.column_dimensions["A"].width = 38
    guide.column_dimensions["B"].width = 60
    guide.column_dimensions["D"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
