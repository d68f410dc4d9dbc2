"""Posts: which have a single seat per organisation, and the level a post is at."""

from __future__ import annotations

from canlian.common import divisions
from canlian.common.events.members import Post, PostLevel

# Posts one person holds at a time per organisation (每乡、每村各1名; one chair).
SINGLE_SEAT_POSTS = frozenset({Post.COMMITTEE_MEMBER, Post.FULL_TIME_CHAIR, Post.CHAIR})


def seat_key(organisation_id: str, post: str) -> str | None:
    return f"{organisation_id}|{post}" if post in SINGLE_SEAT_POSTS else None


def post_level_of(division_code: str) -> PostLevel | None:
    level = divisions.level_of(division_code)
    if level == divisions.DivisionLevel.TOWNSHIP:
        return PostLevel.TOWNSHIP
    if level == divisions.DivisionLevel.VILLAGE:
        return PostLevel.VILLAGE
    return None
