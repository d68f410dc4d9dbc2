"""Posts: how many seats a post has at an organisation, their keys, and a post's level."""

from __future__ import annotations

from datetime import date

from canlian.common import divisions, policy
from canlian.common.events.members import Post, PostLevel
from canlian.common.rules import seats

# Posts with a limited number of seats per organisation: one chair; committee members and
# liaison officers as the region's policy sets (每乡、每村各1名, 街道3—5名).
SEATED_POSTS = frozenset(
    {Post.COMMITTEE_MEMBER, Post.LIAISON_OFFICER, Post.FULL_TIME_CHAIR, Post.CHAIR}
)


def seat_key(organisation_id: str, post: str, number: int = 1) -> str | None:
    """The key the unique index holds while a seat is taken: the first seat keeps the
    historical "organisation|post" form, further seats add their number."""
    if post not in SEATED_POSTS:
        return None
    return f"{organisation_id}|{post}" if number == 1 else f"{organisation_id}|{post}|{number}"


def seat_count(
    division_code: str, post: str, on: date, values: policy.Values
) -> tuple[int, policy.Parameter | None]:
    """How many seats the post has at an organisation of the division on a business date, and
    the policy parameter that sets it (None: one seat by the post's nature): the region's
    value in force then (`values`, as members stores them), else its ancestors', else the
    seed's."""
    parameter = seats.seat_parameter(post, division_code)
    if parameter is None:
        return 1, None
    return int(values.effective(parameter, division_code, on)), parameter


def seat_keys(
    organisation_id: str, division_code: str, post: str, on: date, values: policy.Values
) -> tuple[list[str], int, policy.Parameter | None]:
    """The keys of the post's seats at the organisation in seat order (none: no limit), their
    count and the parameter that sets it."""
    count, parameter = seat_count(division_code, post, on, values)
    keys = [seat_key(organisation_id, post, number) for number in range(1, count + 1)]
    return [key for key in keys if key is not None], count, parameter


def post_level_of(division_code: str) -> PostLevel | None:
    level = divisions.level_of(division_code)
    if level == divisions.DivisionLevel.TOWNSHIP:
        return PostLevel.TOWNSHIP
    if level == divisions.DivisionLevel.VILLAGE:
        return PostLevel.VILLAGE
    return None
