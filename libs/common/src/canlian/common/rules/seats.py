"""Seats of committee members (专职委员名额) by the kind of division (seed 003): one per
township (乡/镇) and per village, 3–5 per street office (街道), as the region's policy sets.

NBS coding: a township-level code's segment 001-099 is a street office (街道), 100-199 a
town (镇), 200-399 a township (乡), 400 and above other township-level units (development
zones and the like), given a township's seats here (whether they count as places of the
staffing denominators is `rules.denominators`).
"""

from __future__ import annotations

from enum import StrEnum

from canlian.common import divisions, policy
from canlian.common.events.members import Post

STREET_SEGMENT_BELOW = 100
"""Township-level codes whose segment (digits 7-9) is below this are street offices."""


class DivisionKind(StrEnum):
    TOWNSHIP = "township"  # 乡 / 镇 / 苏木
    STREET = "street"  # 街道
    VILLAGE = "village"  # 村 / 社区 / 嘎查


def kind_of(division_code: str) -> DivisionKind | None:
    level = divisions.level_of(division_code)
    if level == divisions.DivisionLevel.VILLAGE:
        return DivisionKind.VILLAGE
    if level == divisions.DivisionLevel.TOWNSHIP:
        if int(division_code[6:9]) < STREET_SEGMENT_BELOW:
            return DivisionKind.STREET
        return DivisionKind.TOWNSHIP
    return None


_SEAT_PARAMETERS: dict[tuple[str, DivisionKind], policy.Parameter] = {
    (Post.COMMITTEE_MEMBER, DivisionKind.TOWNSHIP): policy.SEATS_PER_TOWNSHIP,
    (Post.COMMITTEE_MEMBER, DivisionKind.STREET): policy.SEATS_PER_STREET,
    (Post.COMMITTEE_MEMBER, DivisionKind.VILLAGE): policy.SEATS_PER_VILLAGE,
    (Post.LIAISON_OFFICER, DivisionKind.VILLAGE): policy.SEATS_PER_VILLAGE_LIAISON,
}


def seat_parameter(post: str, division_code: str) -> policy.Parameter | None:
    """The policy parameter that sets how many hold `post` at the division; None: the post's
    seats are not set by policy (one chair per organisation, staff without a limit)."""
    kind = kind_of(division_code)
    if kind is None:
        return None
    return _SEAT_PARAMETERS.get((post, kind))
