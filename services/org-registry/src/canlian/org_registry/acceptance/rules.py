"""The acceptance rules without storage: the seed's checklist, the checklist in force for an
organisation, who may inspect, and what a total scores to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from canlian.common import divisions
from canlian.common.events.org_registry import AcceptanceResult

SEED = (
    "003: 按照国家制定的《基层残疾人组织规范化建设验收标准》…狠抓了组织、队伍、设施、机制四方面的"
    "规范化建设…迎接中国残联的实地考核验收"
)


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    points: int


@dataclass(frozen=True)
class Checklist:
    """A checklist as the rules read it; `id` None is the seed's."""

    id: str | None
    division_code: str | None
    level: int
    effective_from: date | None
    title: str
    items: tuple[Item, ...]
    pass_mark: int
    conditional_mark: int
    validity_years: int

    @property
    def total_points(self) -> int:
        return sum(item.points for item in self.items)


# The seed names the standard and its four areas (组织、队伍、设施、机制) and the five haves of a
# grass-roots organisation, but no points or marks: 100 points over those areas, 80 to pass,
# 70 to pass with conditions, three years' validity are this platform's assumptions until a
# region sets its own checklist for the level.
SEED_ITEMS = (
    Item("organisation", "组织:机构健全,有牌子、有印章 / organisation: sign and seal", 20),
    Item("staff", "队伍:专职委员、联络员配齐 / staff: committee members and liaisons", 20),
    Item("facilities", "设施:有办公场所、活动场所 / facilities: office and activity room", 20),
    Item("funds", "经费:工作经费落实 / funds: working funds in place", 15),
    Item("mechanism", "机制:制度健全、工作经常 / mechanism: rules kept, work done", 25),
)
SEED_PASS_MARK = 80
SEED_CONDITIONAL_MARK = 70
SEED_VALIDITY_YEARS = 3


def seed_checklist(level: int) -> Checklist:
    return Checklist(
        id=None,
        division_code=None,
        level=level,
        effective_from=None,
        title="基层残疾人组织规范化建设验收标准(种子)/ the seed's acceptance standard",
        items=SEED_ITEMS,
        pass_mark=SEED_PASS_MARK,
        conditional_mark=SEED_CONDITIONAL_MARK,
        validity_years=SEED_VALIDITY_YEARS,
    )


def in_force(
    checklists: Iterable[Checklist], division_code: str, level: int, on: date
) -> Checklist:
    """The nearest region's (the organisation's own, then each ancestor) latest checklist for
    the level in force on `on`; the seed's when no region above set one."""
    latest: dict[str, Checklist] = {}
    for checklist in checklists:
        if checklist.level != level or checklist.effective_from is None:
            continue
        if checklist.effective_from > on or checklist.division_code is None:
            continue
        held = latest.get(checklist.division_code)
        if held is None or (held.effective_from or date.min) < checklist.effective_from:
            latest[checklist.division_code] = checklist
    for code in divisions.lineage(division_code):
        if code in latest:
            return latest[code]
    return seed_checklist(level)


def may_inspect(inspector_region: str, organisation_division: str, level: int) -> bool:
    """Only a level above inspects: the caller's region contains the organisation's division
    and sits at a higher level (a township's own federation cannot accept itself)."""
    return (
        inspector_region != organisation_division
        and divisions.level_of(inspector_region) < level
        and divisions.is_within(organisation_division, inspector_region)
    )


def result_of(total: Decimal, checklist: Checklist) -> AcceptanceResult:
    if total >= checklist.pass_mark:
        return AcceptanceResult.PASSED
    if total >= checklist.conditional_mark:
        return AcceptanceResult.PASSED_WITH_CONDITIONS
    return AcceptanceResult.FAILED


def valid_until(result: AcceptanceResult, inspected_on: date, checklist: Checklist) -> date | None:
    """A pass holds for the checklist's validity; a conditional pass for one year, by which
    the conditions are re-inspected; a failure holds nothing."""
    if result == AcceptanceResult.FAILED:
        return None
    years = checklist.validity_years if result == AcceptanceResult.PASSED else 1
    return _add_years(inspected_on, years)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
