"""Reported indicators of a region: a county's own figures; above the county, the sum of its
counties' numerators over the sum of their denominators (or of their counts), never a typed
value, with how many counties of how many are in it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.catalogue.definitions import AnyIndicator
from canlian.metrics.regions import repository, schemas

_ADDING = (catalogue_schemas.IndicatorMeasure.RATIO, catalogue_schemas.IndicatorMeasure.COUNT)


@dataclass(frozen=True, slots=True)
class ReportedFigure:
    period: int
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    completeness: schemas.Completeness | None = None


def adds_up(indicator: AnyIndicator) -> bool:
    return (
        indicator.kind == catalogue_schemas.IndicatorKind.REPORTED and indicator.measure in _ADDING
    )


def _above_county(code: str) -> bool:
    return divisions.level_of(code) < divisions.DivisionLevel.COUNTY


def _own(
    indicator: AnyIndicator, rows: Sequence[tuple[int, float, int | None, int | None]]
) -> ReportedFigure | None:
    """A region's own latest value (rows in year order)."""
    if not rows:
        return None
    year, value, numerator, denominator = rows[-1]
    return ReportedFigure(year, value, numerator, denominator)


def _summed(
    indicator: AnyIndicator,
    rows: Sequence[tuple[str, int, float, int | None, int | None]],
    counties: int,
) -> ReportedFigure | None:
    """The counties' figures of the latest year any county reported, added up."""
    if not rows:
        return None
    year = max(row[1] for row in rows)
    latest = [row for row in rows if row[1] == year]
    numerator: int | None = None
    denominator: int | None = None
    if indicator.measure == catalogue_schemas.IndicatorMeasure.RATIO:
        counted = [row for row in latest if row[3] is not None and row[4] is not None]
        numerator = sum(row[3] or 0 for row in counted)
        denominator = sum(row[4] or 0 for row in counted)
        factor = 100.0 if indicator.unit == catalogue_schemas.IndicatorUnit.PERCENT else 1.0
        value = round(numerator * factor / denominator, 4) if denominator else None
        included = len(counted)
    else:
        value = float(sum(row[2] for row in latest))
        included = len(latest)
    # The division read model may lack counties that reported (not loaded yet).
    total = max(counties, len(latest))
    completeness = schemas.Completeness(
        counties_in=included,
        counties=total,
        counties_value_only=len(latest) - included,
        complete=included == total,
    )
    return ReportedFigure(year, value, numerator, denominator, completeness)


async def reported_figures(
    session: AsyncSession,
    codes: Sequence[str],
    indicators: Collection[AnyIndicator],
    until_year: int,
) -> dict[tuple[str, str], ReportedFigure]:
    """{(region, indicator): figure} of every reported indicator that has one."""
    reported = [i for i in indicators if i.kind == catalogue_schemas.IndicatorKind.REPORTED]
    if not reported or not codes:
        return {}
    by_code = {indicator.code: indicator for indicator in reported}
    found: dict[tuple[str, str], ReportedFigure] = {}
    own = await repository.reported_figures_of(session, codes, by_code, until_year)
    upper = [code for code in codes if _above_county(code)]
    adding = {code for code, indicator in by_code.items() if adds_up(indicator)}
    for (region, code), rows in own.items():
        if region in upper and code in adding:
            continue  # a typed value above the county (before 0015) is not the figure
        figure = _own(by_code[code], rows)
        if figure is not None:
            found[(region, code)] = figure
    if not upper or not adding:
        return found
    prefixes = {code: divisions.prefix(code) for code in upper}
    county_values = await repository.county_reported_values(
        session, set(prefixes.values()), adding, until_year
    )
    county_rows = [
        row for row in county_values if divisions.level_of(row[0]) == divisions.DivisionLevel.COUNTY
    ]
    # Counted only below the regions some county reported for: a figure without rows is
    # none, and counting reads every division of the region.
    lengths = {len(prefix) for prefix in prefixes.values()}
    reported_below = {row[0][:length] for row in county_rows for length in lengths}
    counties = await repository.counties_below(
        session, {prefix for prefix in prefixes.values() if prefix in reported_below}
    )
    for region, prefix in prefixes.items():
        below: dict[str, list[tuple[str, int, float, int | None, int | None]]] = {}
        for county, code, year, value, numerator, denominator in county_rows:
            if county.startswith(prefix):
                below.setdefault(code, []).append((county, year, value, numerator, denominator))
        for code in adding:
            figure = _summed(by_code[code], below.get(code, []), counties.get(prefix, 0))
            if figure is not None:
                found[(region, code)] = figure
    return found
