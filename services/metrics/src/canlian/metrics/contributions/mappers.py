"""Contribution mappers: pure functions, one per event type, that turn an entity's snapshot into
its *contribution* (counter values at one or more divisions).

Counters whose name starts with "@" are *tallies*: kept at their exact division only, they
yield the derived counter "<tally>.<level>" = 1 while the tally is positive, which is how
"villages with at least one association" is counted without double counting.

One tally is a *gate* (`LEFT_OUT`): positive while the regions' policy leaves its division out
of the denominators (rules.denominators, rollups.excluded_places), and while it is, no tally of
that division yields its derived counter: a place that is not in a denominator is in none of
its numerators either. The gate yields no counter of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, TypeVar

from canlian.common import divisions
from canlian.common.division_names.dataset import DivisionRow as DivisionRow  # one definition
from canlian.common.events.base import DomainEvent
from canlian.metrics.hierarchy import LEVEL_NAMES

Contribution = dict[tuple[str, str], int]
"""(division code, counter) -> value that one entity adds."""


def is_tally(counter: str) -> bool:
    return counter.startswith("@")


TALLIES: set[str] = set()
"""Every tally the mappers produce but the gate (declared with `tally`)."""


def tally(name: str) -> str:
    """Declare a tally: a closing gate re-judges every tally of its division, even those
    no entity has counted there yet (rollups.engine locks them)."""
    TALLIES.add(name)
    return name


LEFT_OUT = "@left_out"
"""The gate tally: while positive, the division's tallies count in no numerator."""


def is_gate(counter: str) -> bool:
    return counter == LEFT_OUT


def present(tally: int, gate: int) -> bool:
    """Whether a tally yields its derived counter: positive, at a division not left out."""
    return tally > 0 and gate <= 0


def presence_counter(tally: str, division_code: str) -> str:
    return f"{tally[1:]}.{LEVEL_NAMES[divisions.level_of(division_code)]}"


def encode_contribution(contribution: Mapping[tuple[str, str], int]) -> dict[str, int]:
    return {f"{code}|{name}": value for (code, name), value in contribution.items() if value}


def decode_contribution(stored: Mapping[str, Any]) -> Contribution:
    decoded: Contribution = {}
    for key, value in stored.items():
        code, _, name = key.partition("|")
        decoded[(code, name)] = int(value)
    return decoded


class InvalidDivisionInEvent(ValueError):
    pass


def event_division(code: str) -> str:
    try:
        return divisions.parse(code)
    except divisions.InvalidDivisionCode as error:
        raise InvalidDivisionInEvent(str(error)) from None


@dataclass(frozen=True)
class BusinessDates:
    """What an event says of the days its fact holds from, for the journal (history by
    business date); all optional, none means the event's own time."""

    since: date | None = None  # the new contribution holds from this day
    origin: date | None = None  # the entity began this day: nothing of it counts before
    earlier: Contribution | None = None  # what it contributed from `origin` until `since`
    from_origin: bool = False  # its first state holds from `origin` (a corrected founding)


EVENT_TIME = BusinessDates()


@dataclass(frozen=True)
class Mapped:
    """What a mapper makes of one event: the entity, its version and its contribution."""

    entity_key: str
    version: int
    contribution: Contribution
    division: DivisionRow | None = None  # a division's name and parent to keep for queries
    dates: BusinessDates = field(default=EVENT_TIME)


Mapper = Callable[[Any], Mapped | list[Mapped]]


MAPPERS: dict[str, Mapper] = {}
"""Event type -> contribution mapper. Event types without a mapper are ignored, not parked."""


MapperT = TypeVar("MapperT", bound=Mapper)


def mapper(*event_types: type[DomainEvent]) -> Callable[[MapperT], MapperT]:
    def register(function: MapperT) -> MapperT:
        for event_type in event_types:
            MAPPERS[event_type.event_type] = function
        return function

    return register


@cache
def _entity_kind(event_type: str) -> str:
    # "cn.canlian.org-registry.organisation.changed" -> "org-registry.organisation"
    return event_type.removeprefix("cn.canlian.").rsplit(".", 1)[0]


def entity_key(event: DomainEvent) -> str:
    return f"{_entity_kind(event.event_type)}:{event.subject}"


# Counter -> description, added to by each source domain's module. Names are stable:
# indicators, stored contributions and journals refer to them.
COUNTER_DESCRIPTIONS: dict[str, str] = {}


def known_counters() -> dict[str, str]:
    """Every counter the mappers produce, with its description."""
    found = dict(COUNTER_DESCRIPTIONS)
    found["committee_member.township"] = "有在岗专职委员的乡镇数 / townships with one"
    found["committee_member.village"] = "有在岗专职委员的村(社区)数 / villages with one"
    return dict(sorted(found.items()))
