"""A line's source column says when a value summed from the counties lacks some of them."""

from __future__ import annotations

from canlian.common.division_words import RegionWords
from canlian.metrics.catalogue.schemas import IndicatorKind, IndicatorUnit
from canlian.metrics.regions import schemas
from canlian.metrics.reports.rows import source_text


def line(completeness: schemas.Completeness | None) -> schemas.IndicatorValue:
    return schemas.IndicatorValue(
        indicator="child-rehabilitation-coverage",
        name_zh="0-6岁残疾儿童康复服务覆盖率",
        name_en="Rehabilitation coverage of disabled children aged 0-6",
        kind=IndicatorKind.REPORTED,
        unit=IndicatorUnit.PERCENT,
        value=90.0,
        numerator=90,
        denominator=100,
        period=2020,
        target=None,
        status=schemas.Status.NO_TARGET,
        gap=None,
        completeness=completeness,
    )


def test_an_incomplete_sum_names_how_many_counties_are_in_it() -> None:
    partial = schemas.Completeness(counties_in=1, counties=3, counties_value_only=1, complete=False)
    assert source_text(line(partial)) == "部门填报(2020)不完整:1/3县"
    whole = schemas.Completeness(counties_in=3, counties=3, counties_value_only=0, complete=True)
    assert source_text(line(whole)) == "部门填报(2020)"
    assert source_text(line(None)) == "部门填报(2020)"


def test_in_a_pastoral_region_the_counties_are_banners_and_counties() -> None:
    ordos = RegionWords.of("鄂尔多斯市", 2, pastoral_below={3, 4, 5})
    partial = schemas.Completeness(counties_in=2, counties=9, counties_value_only=0, complete=False)
    assert source_text(line(partial), ordos) == "部门填报(2020)不完整:2/9旗县"
