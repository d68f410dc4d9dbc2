"""Matching: ranking the active volunteers of a need's city for it."""

from __future__ import annotations

from canlian.common import divisions
from canlian.volunteers.context import Context
from canlian.volunteers.needs import repository
from canlian.volunteers.needs.models import Need
from canlian.volunteers.needs.schemas import Candidate


def required_skills(need: Need) -> list[str]:
    return sorted({need.kind, *(item.skill for item in need.skills)})


def candidate_pool(code: str) -> str:
    """Volunteers are sought within the need's city (the whole region above that level)."""
    level = divisions.level_of(code)
    if level >= divisions.DivisionLevel.CITY:
        return divisions.prefix(divisions.ancestor_at(code, divisions.DivisionLevel.CITY))
    return divisions.prefix(code)


async def match(context: Context, need: Need, limit: int) -> list[Candidate]:
    required = required_skills(need)
    rows = await repository.candidates(
        context.session, need, required, pool_prefix=candidate_pool(need.division_code), limit=limit
    )
    return [
        Candidate(
            volunteer_id=row.id,
            division_code=row.division_code,
            name=row.name_masked,
            skills_matched=row.skills_matched,
            skills_required=len(required),
            available=bool(row.available),
            nearness=row.nearness,
            star_level=row.star_level,
        )
        for row in rows
    ]
