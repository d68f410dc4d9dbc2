"""A region's seats policy changed: seats are read where they are used (the next appointment,
the roster import, the seats report), so nothing stored goes stale; the change re-checks each
organisation under the region whose seats the parameter sets and counts those whose seats on
today's business date moved. Members already seated keep their seats when a count falls."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.events.members import Post
from canlian.common.policy_values.service import Change
from canlian.common.rules import seats
from canlian.common.runtime import ServiceRuntime
from canlian.members.appointments.posts import seat_count
from canlian.members.clock import today_in_china
from canlian.members.organisations import repository as organisations_repository

_POSTS = (Post.COMMITTEE_MEMBER, Post.LIAISON_OFFICER)


async def reevaluate_seats(
    session: AsyncSession, runtime: ServiceRuntime, change: Change
) -> tuple[int, int]:
    """(organisations re-checked, organisations whose seats changed today)."""
    today = today_in_china()
    rechecked = changed = 0
    for organisation in await organisations_repository.organisations_under(
        session, divisions.prefix(change.division_code)
    ):
        code = organisation.division_code
        for post in _POSTS:
            if seats.seat_parameter(post, code) != change.parameter:
                continue
            rechecked += 1
            if seat_count(code, post, today, change.before) != seat_count(
                code, post, today, change.values
            ):
                changed += 1
    return rechecked, changed
