"""The daily in-force run of an owning service: a value set for a later date takes effect on
that date without anyone touching it. Each China-time day the first replica to claim the day
(`policy_in_force_runs`) re-evaluates what the values that came into force since the last
claimed day govern, across the country, in the claim's transaction (a failed run releases the
claim for the next try); the other replicas find the day taken and do nothing. The first run
ever re-checks every value in force; a re-evaluation that finds nothing to change changes
nothing, so that is harmless."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Table

from canlian.common import business_day, divisions
from canlian.common.auth import ADMIN, Principal
from canlian.common.db.metadata import utcnow
from canlian.common.policy_values import repository, service
from canlian.common.runtime import PeriodicJob, ServiceRuntime

JOB = "policies-in-force"
FIRST_RUN_AFTER = date(1949, 10, 1)
"""Where a service's first run starts from: before any value's date."""

Done = list[tuple[str, str, int, int]]
"""(parameter, region, objects re-checked, objects changed) of each value brought into force."""


def scheduler(owner: str) -> Principal:
    """Who the daily run's changes are by: the whole country, no person."""
    return Principal(
        subject=f"scheduler:{owner}-{JOB}", roles=frozenset({ADMIN}), region=divisions.NATION
    )


@dataclass(frozen=True)
class DailyRun:
    owner: str
    table: Table  # the owner's policy_values
    runs: Table  # the owner's policy_in_force_runs
    reevaluate: service.Reevaluate

    async def __call__(self, runtime: ServiceRuntime) -> Done | None:
        """Today's run; None when another replica (or an earlier run) claimed the day."""
        today = business_day.china_today()
        async with runtime.database.session() as session:
            if not await repository.claim_run(session, self.runs, today, utcnow()):
                return None
            last = await repository.last_run_before(session, self.runs, today)
            done = await service.bring_into_force(
                session,
                runtime,
                scheduler(self.owner),
                table=self.table,
                owner=self.owner,
                after=last or FIRST_RUN_AFTER,
                until=today,
                reevaluate=self.reevaluate,
            )
            changed = sum(item[3] for item in done)
            await repository.record_run(session, self.runs, today, len(done), changed)
        return done


def in_force_job(
    owner: str, table: Table, runs: Table, reevaluate: service.Reevaluate, every_seconds: float
) -> PeriodicJob:
    """The owner's daily run as a job its workers look at every `every_seconds`."""
    return PeriodicJob(f"{owner}-{JOB}", every_seconds, DailyRun(owner, table, runs, reevaluate))
