"""What a division counts: itself at its own level, the denominators of coverage indicators;
`DivisionChanged` events keep that current."""

from __future__ import annotations

from canlian.common import divisions
from canlian.common.events import org_registry
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    Contribution,
    DivisionRow,
    Mapped,
    event_division,
    mapper,
)
from canlian.metrics.hierarchy import LEVEL_NAMES

DIVISIONS = "divisions"  # divisions.<level>: how many divisions of a level lie in the region

COUNTER_DESCRIPTIONS.update(
    {
        "divisions.province": "省级区划数 / provinces",
        "divisions.city": "市级区划数 / cities",
        "divisions.county": "县级区划数 / counties",
        "divisions.township": "乡镇(街道)数 / townships",
        "divisions.village": "村(社区)数 / villages and communities",
    }
)


def division_contribution(code: str) -> Contribution:
    """A division counts itself at its own level: the denominators of coverage indicators."""
    return {(code, f"{DIVISIONS}.{LEVEL_NAMES[divisions.level_of(code)]}"): 1}


def division_entity_key(code: str) -> str:
    return f"division:{code}"


@mapper(org_registry.DivisionChanged)
def division_change_contribution(event: org_registry.DivisionChanged) -> list[Mapped]:
    """Established and renamed divisions count; merged and split ones stop counting on their
    own (their successors count instead)."""
    code = event_division(event.code)
    parent = event_division(event.parent_code) if event.parent_code else divisions.NATION
    row = DivisionRow(code, event.name, event.level, parent)
    kind = org_registry.DivisionChangeKind
    if event.change in (kind.ESTABLISHED, kind.RENAMED):
        return [Mapped(division_entity_key(code), event.version, division_contribution(code), row)]
    found = [Mapped(division_entity_key(code), event.version, {}, row)]
    if event.change is kind.SPLIT:
        for successor in event.successor_codes:
            new = event_division(successor)
            found.append(
                Mapped(
                    division_entity_key(new),
                    1,
                    division_contribution(new),
                    DivisionRow(new, f"{event.name}(拆分)", event.level, parent),
                )
            )
    return found
