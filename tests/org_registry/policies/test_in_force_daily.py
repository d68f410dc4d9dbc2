"""The registry's daily in-force run on a real PostgreSQL: a funds minimum set for a later date
re-judges nothing until that business date, then the day's run (claimed once a day) re-judges
the associations it governs without anyone touching them, and the registry's questions and the
metrics counters move together."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth, policy
from canlian.common.business_day import china_today
from canlian.common.policy_values.daily import DailyRun
from canlian.org_registry.policies.models import IN_FORCE_RUNS
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.calendar import advance_business_date
from canlian.testing.services import bearer, runtime_of

from ..conftest import XINGQING, event_data
from .test_funds_minimum import assert_registry_and_metrics_agree, register_special, set_minimum

pytestmark = pytest.mark.postgres

COUNTY_MINIMUM = policy.COUNTY_ACTIVITY_FUNDS_MINIMUM.name


@pytest.fixture
def county_admin(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.ADMIN], region=XINGQING, subject="xq-admin")


def daily_run(app: FastAPI) -> DailyRun:
    [job] = runtime_of(app).periodic_jobs
    assert job.name == "org-registry-policies-in-force"
    assert isinstance(job.run, DailyRun)
    return job.run


async def test_a_minimum_set_for_tomorrow_takes_effect_tomorrow_by_the_daily_run(
    client: httpx.AsyncClient,
    county_official: dict[str, str],
    county_admin: dict[str, str],
    org_app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime = runtime_of(org_app)
    run = daily_run(org_app)
    assert await run(runtime) is not None  # today's run: nothing set yet for a later date
    blind = await register_special(client, county_official, "blind", 5_000)
    tomorrow = china_today() + timedelta(days=1)
    saved = await set_minimum(
        client, county_admin, 6_000, region=XINGQING, effective_from=tomorrow.isoformat()
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["changed"] == 0  # not in force today
    assert await assert_registry_and_metrics_agree(client, county_official, 1) == ([], [])
    assert await run(runtime) is None  # today is claimed: a second replica does nothing

    assert advance_business_date(monkeypatch, 1) == tomorrow
    done = await run(runtime)
    assert done == [(COUNTY_MINIMUM, XINGQING, 1, 1)]
    funds, three = await assert_registry_and_metrics_agree(client, county_official, 1)
    assert funds == three == [blind]
    changed = [
        data
        for data in await event_data(org_app, "organisation.changed")
        if data["organisation_id"] == blind
    ]
    assert changed[-1]["activity_funds_minimum_yuan"] == 6_000
    assert await run(runtime) is None  # claimed for tomorrow too
    async with runtime.database.session() as session:
        rows = (await session.execute(select(IN_FORCE_RUNS))).all()
    by_day = {row.run_on: (row.values_in_force, row.changed) for row in rows}
    assert by_day[tomorrow] == (1, 1)

    # The day after, nothing new comes into force: the run re-judges nothing.
    advance_business_date(monkeypatch, 2)
    assert await run(runtime) == []
