"""Allowance policy: a region's minimum for committee members' posts; the nearest ancestor's
value applies. An allowance below it is stored as entered and marked non-compliant."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.events.members import Post
from canlian.members.appointments import repository
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.posts import post_level_of


@dataclass(frozen=True)
class AllowancePolicy:
    minimums: dict[tuple[str, str], Decimal]

    @classmethod
    async def load(cls, session: AsyncSession) -> AllowancePolicy:
        rows = await repository.all_allowance_minimums(session)
        return cls({(row.division_code, row.post_level): row.monthly_minimum_yuan for row in rows})

    def minimum_for(self, division_code: str, post: str) -> tuple[Decimal | None, str | None]:
        """The minimum and the region that set it, for a committee-member post."""
        level = post_level_of(division_code)
        if post != Post.COMMITTEE_MEMBER or level is None:
            return None, None
        for code in divisions.lineage(division_code):
            found = self.minimums.get((code, level))
            if found is not None:
                return found, code
        return None, None


def apply_compliance(appointment: Appointment, policy: AllowancePolicy) -> None:
    minimum, _ = policy.minimum_for(appointment.division_code, appointment.post)
    appointment.allowance_minimum_yuan = minimum
    appointment.allowance_compliant = (
        None if minimum is None else appointment.monthly_allowance_yuan >= minimum
    )
