"""Allowance policy: a region's minimum for committee members' posts; the nearest ancestor's
value applies. An allowance below it is stored as entered and marked non-compliant. Where the
region's `allowances.village_public_welfare_posts` (seed 004) is in force on the business
date, village members hold public-welfare posts: no minimum, no compliance outcome
(canlian.common.rules.allowances)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import business_day, divisions, policy
from canlian.common.events.members import Post
from canlian.common.rules import allowances
from canlian.members.appointments import repository
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.posts import post_level_of
from canlian.members.policies.repository import members_values


@dataclass(frozen=True)
class AllowancePolicy:
    minimums: dict[tuple[str, str], Decimal]
    values: policy.Values = policy.SEED_ONLY
    on: date = field(default_factory=lambda: business_day.china_today())  # the business date judged

    @classmethod
    async def load(
        cls, session: AsyncSession, values: policy.Values | None = None
    ) -> AllowancePolicy:
        """The stored minimums, and the regional values in force today (`values`: the ones a
        re-evaluation compares, else the stored ones)."""
        rows = await repository.all_allowance_minimums(session)
        minimums = {(row.division_code, row.post_level): row.monthly_minimum_yuan for row in rows}
        return cls(minimums, values if values is not None else await members_values(session))

    def public_welfare_villages(self, division_code: str) -> bool:
        """Whether the region puts its village members on public-welfare posts (seed 004)."""
        parameter = policy.VILLAGE_PUBLIC_WELFARE_POSTS
        return self.values.effective(parameter, division_code, self.on) == 1

    def minimum_for(self, division_code: str, post: str) -> tuple[Decimal | None, str | None]:
        """The minimum and the region that set it, for a committee-member post."""
        level = post_level_of(division_code)
        if post != Post.COMMITTEE_MEMBER or level is None:
            return None, None
        if allowances.is_village_post(division_code) and not allowances.minimum_applies(
            division_code, self.public_welfare_villages(division_code)
        ):
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
