"""The members service's daily in-force run on a real PostgreSQL: seed 004's post rule set
for a later date leaves today's judgement alone; on that business date the day's run (claimed
once a day) re-judges the village members under the region without anyone touching them."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth, policy
from canlian.common.business_day import china_today
from canlian.common.policy_values.daily import DailyRun
from canlian.common.settings import PlatformSettings
from canlian.testing.calendar import advance_business_date
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import COUNTY, SeedOrganisation, all_pages, appoint, outbox_envelopes

pytestmark = pytest.mark.postgres

RURAL = "620102001201"  # 村 (a villagers' committee)
WELFARE_POSTS = policy.VILLAGE_PUBLIC_WELFARE_POSTS.name


async def listed(client: httpx.AsyncClient, official: dict[str, str]) -> list[str]:
    found = await all_pages(client, "/v1/reports/allowance-non-compliance", official)
    return [str(item["id"]) for item in found]


async def test_the_post_rule_set_for_tomorrow_takes_effect_tomorrow_by_the_daily_run(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
    postgres_settings: PlatformSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime = runtime_of(members_app)
    [job] = runtime.periodic_jobs
    assert job.name == "members-policies-in-force"
    assert isinstance(job.run, DailyRun)
    assert await job.run(runtime) is not None  # today's run
    await client.put(
        "/v1/allowance-minimums/620102/village",
        json={"monthly_minimum_yuan": "100"},
        headers=official,
    )
    await seed_organisation("r1", division_code=RURAL)
    low = await appoint(client, official, 1, "r1", RURAL, monthly_allowance_yuan="50")
    admin = bearer(postgres_settings, roles=[auth.ADMIN], region=COUNTY, subject="county-admin")
    tomorrow = china_today() + timedelta(days=1)
    url = f"/v1/policies/{WELFARE_POSTS}/regions/{COUNTY}"
    saved = await client.put(
        f"{url}/values/{tomorrow.isoformat()}",
        json={"value": 1, "reason": "区残联文件:村居专职委员纳入公益性岗位"},
        headers=await if_match(client, url, admin),
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["reevaluated"], saved.json()["changed"]) == (1, 0)
    assert await listed(client, official) == [str(low["id"])]
    assert await job.run(runtime) is None  # today is claimed

    advance_business_date(monkeypatch, 1)
    assert await job.run(runtime) == [(WELFARE_POSTS, COUNTY, 1, 1)]
    assert await listed(client, official) == []
    changed = [
        e["data"]
        for e in await outbox_envelopes(members_app)
        if e["type"] == "cn.canlian.members.appointment.changed"
        and str(e["data"]["appointment_id"]) == str(low["id"])
    ]
    assert (changed[-1]["allowance_minimum_yuan"], changed[-1]["allowance_compliant"]) == (
        None,
        None,
    )
    assert await job.run(runtime) is None
