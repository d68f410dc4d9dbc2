"""Every indicator unit prints a word beside its value in the reports."""

from __future__ import annotations

from canlian.metrics.catalogue.schemas import UNIT_ZH, IndicatorUnit


def test_every_unit_has_its_printed_word() -> None:
    assert set(UNIT_ZH) == set(IndicatorUnit)
    assert UNIT_ZH[IndicatorUnit.SCORE] == "分"
