"""Staffing (专职委员配备): every township and every village needs one committee member
("每乡、每村各1名", seed 003; "全配备", seed 000).

The places that need a member are township federations (level 4) and the villages an
association covers (level 5). Small villages may share one joint association (seed 001:
"可与邻近村联合成立残协"); its member serves each village it covers, so each of them is staffed
by that one member. A place is staffed while an active (在岗) committee member holds the post
at an organisation that serves it; an appointed member not yet at work, or a suspended one,
does not staff it.
"""

from __future__ import annotations

from collections.abc import Sequence

from canlian.common.events.members import AppointmentStatus, Post
from canlian.common.events.org_registry import OrganisationKind

TOWNSHIP_LEVEL = 4
VILLAGE_LEVEL = 5

# (organisation kind, level) of the organisations whose posts staff places.
PLACE_ORGANISATIONS: frozenset[tuple[OrganisationKind, int]] = frozenset(
    {
        (OrganisationKind.FEDERATION, TOWNSHIP_LEVEL),
        (OrganisationKind.ASSOCIATION, VILLAGE_LEVEL),
    }
)

STAFFING_POST = Post.COMMITTEE_MEMBER
STAFFING_STATUS = AppointmentStatus.ACTIVE


def serves_places(kind: str, level: int) -> bool:
    """Whether a post at such an organisation staffs places at all."""
    return (OrganisationKind(kind), level) in PLACE_ORGANISATIONS


def places_served(
    kind: str, level: int, division_code: str, covered_divisions: Sequence[str] = ()
) -> list[str]:
    """The places (12-digit codes) an organisation's committee member staffs: a township
    federation its township; an association every village it covers (its own village when no
    coverage is recorded); any other organisation none."""
    if not serves_places(kind, level):
        return []
    if OrganisationKind(kind) is OrganisationKind.ASSOCIATION and covered_divisions:
        return sorted(set(covered_divisions))
    return [division_code]


def staffs(post: str, status: str) -> bool:
    """Whether an appointment in this post and status staffs the places it serves."""
    return post == STAFFING_POST and status == STAFFING_STATUS


def staffed_places(
    post: str, status: str, kind: str, level: int, division_code: str, covered: Sequence[str] = ()
) -> list[str]:
    """The places one appointment staffs: none unless it `staffs`, else `places_served`."""
    if not staffs(post, status):
        return []
    return places_served(kind, level, division_code, covered)
