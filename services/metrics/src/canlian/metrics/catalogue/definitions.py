"""Indicators as DHIS2 defines them: factor x sum(numerator counters) / sum(denominator
counters)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from canlian.metrics.catalogue import schemas
from canlian.metrics.catalogue.models import Indicator


def expression_counters(expression: str | None) -> list[str]:
    return [name for name in (expression or "").split("+") if name]


@dataclass(frozen=True, slots=True)
class CatalogueIndicator:
    """An indicator's definition as the read paths use it: a plain immutable value that one
    process shares between requests (an ORM object belongs to one session)."""

    code: str
    name_zh: str
    name_en: str
    kind: str
    unit: str
    measure: str | None
    numerator: str | None
    denominator: str | None
    factor: float
    description: str
    source: str
    built_in: bool


AnyIndicator = Indicator | CatalogueIndicator


def is_count(indicator: AnyIndicator) -> bool:
    """Whether the indicator's targets are counts, not inherited whole: rates and average
    scores hold for every part of a region; counts add up."""
    return indicator.unit not in (schemas.IndicatorUnit.PERCENT, schemas.IndicatorUnit.SCORE)


def indicator_counters(indicator: AnyIndicator) -> set[str]:
    return set(expression_counters(indicator.numerator)) | set(
        expression_counters(indicator.denominator)
    )


def indicator_read(indicator: AnyIndicator) -> schemas.IndicatorRead:
    return schemas.IndicatorRead(
        code=indicator.code,
        name_zh=indicator.name_zh,
        name_en=indicator.name_en,
        kind=schemas.IndicatorKind(indicator.kind),
        unit=schemas.IndicatorUnit(indicator.unit),
        measure=schemas.IndicatorMeasure(indicator.measure) if indicator.measure else None,
        numerator=expression_counters(indicator.numerator),
        denominator=expression_counters(indicator.denominator),
        factor=indicator.factor,
        description=indicator.description,
        source=indicator.source,
        built_in=indicator.built_in,
    )


def derived_value(
    indicator: AnyIndicator, counters: Mapping[str, int]
) -> tuple[float | None, int | None, int | None]:
    """(value, numerator, denominator): factor x numerator / denominator, or None when the
    denominator is zero (a rate over nothing is no data, not 0%)."""
    numerator = sum(counters.get(name, 0) for name in expression_counters(indicator.numerator))
    names = expression_counters(indicator.denominator)
    if not names:
        return round(numerator * indicator.factor, 4), numerator, None
    denominator = sum(counters.get(name, 0) for name in names)
    if denominator == 0:
        return None, numerator, 0
    return round(numerator * indicator.factor / denominator, 4), numerator, denominator
