"""A township federation's full-time chair (专职理事长, seeds 000 and 004).

One owner: the organisation registry, as a role in the township federation's executive council
(执行理事会, role `full_time_chair`). Only that counts; the members service refuses to record
the post as an appointment and learns the fact from the registry's events
(`has_full_time_chair` on the organisation's snapshot).
"""

from __future__ import annotations

from collections.abc import Iterable

from canlian.common.events.org_registry import BodyKind, OrganisationKind

TOWNSHIP_LEVEL = 4
ROLE = "full_time_chair"
BODY = BodyKind.EXECUTIVE_COUNCIL

RECORDED_AT = (
    "org-registry: PUT /v1/organisations/{organisation_id}/terms/{number}/bodies/executive_council"
)
"""Where the fact is recorded, for the members service's refusal."""


def applies(kind: str, level: int) -> bool:
    """The indicator asks it of township federations only."""
    return OrganisationKind(kind) is OrganisationKind.FEDERATION and level == TOWNSHIP_LEVEL


def has_full_time_chair(council_roles: Iterable[str]) -> bool:
    """Some member of the current executive council holds the role."""
    return any(role == ROLE for role in council_roles)
