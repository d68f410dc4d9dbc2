"""Acceptance rules without storage: the seed's checklist, the checklist in force, who may
inspect, results and validity."""

from datetime import date
from decimal import Decimal

from canlian.common.events.org_registry import AcceptanceResult
from canlian.org_registry.acceptance import rules

COUNTY = "640104000000"
TOWNSHIP = "640104100000"
VILLAGE = "640104100200"


def _checklist(region: str, since: date, pass_mark: int) -> rules.Checklist:
    return rules.Checklist(
        id=f"{region}-{since}",
        division_code=region,
        level=4,
        effective_from=since,
        title="t",
        items=(rules.Item("a", "A", 100),),
        pass_mark=pass_mark,
        conditional_mark=pass_mark - 10,
        validity_years=2,
    )


def test_the_seed_checklist_is_a_hundred_points_over_the_seeds_four_areas() -> None:
    seed = rules.seed_checklist(4)
    assert seed.total_points == 100
    assert {item.code for item in seed.items} >= {"organisation", "staff", "facilities"}
    assert (seed.pass_mark, seed.conditional_mark) == (80, 70)
    assert "验收标准" in rules.SEED


def test_the_nearest_region_latest_checklist_in_force_applies() -> None:
    province = _checklist("640000000000", date(2025, 1, 1), 85)
    county_old = _checklist(COUNTY, date(2025, 1, 1), 80)
    county_new = _checklist(COUNTY, date(2026, 7, 1), 90)
    held = [province, county_old, county_new]
    assert rules.in_force(held, TOWNSHIP, 4, date(2026, 6, 30)) == county_old
    assert rules.in_force(held, TOWNSHIP, 4, date(2026, 7, 1)) == county_new
    assert rules.in_force([province], TOWNSHIP, 4, date(2026, 1, 1)) == province
    assert rules.in_force(held, TOWNSHIP, 4, date(2024, 12, 31)).id is None  # the seed's
    assert rules.in_force(held, VILLAGE, 5, date(2026, 7, 1)).id is None  # other level


def test_only_the_level_above_inspects() -> None:
    assert rules.may_inspect(COUNTY, TOWNSHIP, 4)
    assert rules.may_inspect("640000000000", VILLAGE, 5)
    assert not rules.may_inspect(TOWNSHIP, TOWNSHIP, 4)  # the same level
    assert not rules.may_inspect(VILLAGE, TOWNSHIP, 4)  # below
    assert not rules.may_inspect("640105000000", TOWNSHIP, 4)  # another county


def test_results_and_how_long_they_hold() -> None:
    seed = rules.seed_checklist(4)
    on = date(2026, 6, 1)
    assert rules.result_of(Decimal(80), seed) == AcceptanceResult.PASSED
    assert rules.result_of(Decimal("79.5"), seed) == AcceptanceResult.PASSED_WITH_CONDITIONS
    assert rules.result_of(Decimal(70), seed) == AcceptanceResult.PASSED_WITH_CONDITIONS
    assert rules.result_of(Decimal("69.5"), seed) == AcceptanceResult.FAILED
    assert rules.valid_until(AcceptanceResult.PASSED, on, seed) == date(2029, 6, 1)
    assert rules.valid_until(AcceptanceResult.PASSED_WITH_CONDITIONS, on, seed) == date(2027, 6, 1)
    assert rules.valid_until(AcceptanceResult.FAILED, on, seed) is None
    leap = date(2028, 2, 29)
    assert rules.valid_until(AcceptanceResult.PASSED, leap, seed) == date(2031, 2, 28)
