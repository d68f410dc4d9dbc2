"""Policy parameters (政策参数): the named regional figures rules read, each with its unit,
sensible range, seed default and the seed it comes from. A region sets a value effective from
a date; the nearest ancestor's value in force on the object's business date applies, else the
seed default. The service that owns a parameter stores and serves its values; every service
that reads it resolves them here, so they answer alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from canlian.common import divisions


@dataclass(frozen=True)
class Parameter:
    name: str
    title_zh: str
    title_en: str
    unit: str
    minimum: Decimal
    maximum: Decimal
    default: Decimal
    seed: str  # the seed text the default comes from
    owner: str  # the service that stores and serves its values

    def in_range(self, value: Decimal) -> bool:
        return self.minimum <= value <= self.maximum


@dataclass(frozen=True)
class SetValue:
    """A region's value of a parameter, in force from `effective_from`."""

    division_code: str
    effective_from: date
    value: Decimal


def _seats(name: str, zh: str, en: str, limits: tuple[int, int, int], seed: str) -> Parameter:
    """A seat count of a post the members service keeps: (minimum, maximum, seed default)."""
    low, high, default = limits
    return Parameter(
        name=f"seats.{name}",
        title_zh=zh,
        title_en=en,
        unit="seats",
        minimum=Decimal(low),
        maximum=Decimal(high),
        default=Decimal(default),
        seed=seed,
        owner="members",
    )


ONE_PER_TOWNSHIP_AND_VILLAGE = "003: 每乡、每村各1名"
SEATS_PER_TOWNSHIP = _seats(
    "township_committee_members",
    "每乡(镇)专职委员名额",
    "Committee-member seats per township",
    (1, 10, 1),
    ONE_PER_TOWNSHIP_AND_VILLAGE,
)
SEATS_PER_STREET = _seats(
    "street_committee_members",
    "每街道专职委员名额(上限)",
    "Committee-member seats per street office (maximum)",
    (3, 5, 5),
    "003: 各街道办事处统筹区域情况确定3—5名残疾人专职委员",
)
SEATS_PER_VILLAGE = _seats(
    "village_committee_members",
    "每村专职委员名额",
    "Committee-member seats per village",
    (1, 5, 1),
    ONE_PER_TOWNSHIP_AND_VILLAGE,
)
SEATS_PER_VILLAGE_LIAISON = _seats(
    "village_liaison_officers",
    "每村残疾人联络员名额",
    "Liaison-officer seats per village",
    (1, 5, 1),
    "003: 配齐社区残疾人专职委员和村残疾人联络员",
)

PARAMETERS: dict[str, Parameter] = {
    parameter.name: parameter
    for parameter in (
        SEATS_PER_TOWNSHIP,
        SEATS_PER_STREET,
        SEATS_PER_VILLAGE,
        SEATS_PER_VILLAGE_LIAISON,
    )
}


def effective(
    parameter: Parameter, values: Iterable[SetValue], division_code: str, on: date
) -> tuple[Decimal, str | None]:
    """The value in force for `division_code` on `on` and the region that set it (None: the
    seed default): the nearest ancestor with a value effective by then wins."""
    latest: dict[str, SetValue] = {}
    for value in values:
        if value.effective_from > on:
            continue
        held = latest.get(value.division_code)
        if held is None or value.effective_from >= held.effective_from:
            latest[value.division_code] = value
    for code in divisions.lineage(division_code):
        found = latest.get(code)
        if found is not None:
            return found.value, code
    return parameter.default, None
