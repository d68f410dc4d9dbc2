"""Seed 002's composition shares as regional policy: a county that sets its own minimum share
re-judges its federation's leadership (new version, the snapshot the metrics counter reads),
and the leadership answer states the minimum in force."""

from collections import Counter

import httpx
import pytest

from canlian.common import auth, policy
from canlian.common.events.org_registry import OrganisationChanged
from canlian.metrics.contributions.org_registry import organisation_contribution
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, if_match

from ..conftest import XINGQING, hold_term, register

pytestmark = pytest.mark.postgres

ROLE_MODELS = policy.CONGRESS_ROLE_MODEL_SHARE.name


@pytest.fixture
def county_admin(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.ADMIN], region=XINGQING, subject="xq-admin")


async def compliant_federations(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    page = await client.get(
        "/v1/organisation-snapshots", params={"within": XINGQING, "limit": 200}, headers=headers
    )
    counters: Counter[str] = Counter()
    for snapshot in page.json()["items"]:
        for (_, counter), value in organisation_contribution(
            OrganisationChanged.model_validate(snapshot)
        ).contribution.items():
            counters[counter] += value
    return counters["federations.leadership_compliant"]


async def test_a_countys_own_share_rejudges_its_federation(
    client: httpx.AsyncClient, county_official: dict[str, str], county_admin: dict[str, str]
) -> None:
    federation = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    url = f"/v1/organisations/{federation['id']}"
    await hold_term(
        client, county_official, federation["id"], starts_on="2023-03-01", ends_on="2028-02-28"
    )
    bodies = {
        "congress": [
            {"name": "代表甲", "role": "member", "is_disabled": True, "is_role_model": True},
            {"name": "代表乙", "role": "member", "is_disabled": True},
            {"name": "代表丙", "role": "member", "is_relative": True},
        ],
        "presidium": [
            {"name": "委员甲", "role": "chair", "is_disabled": True, "is_grassroots": True},
            {"name": "委员乙", "role": "member", "is_relative": True},
        ],
        "executive_council": [{"name": "理事甲", "role": "chair", "is_disabled": True}],
    }
    for kind, members in bodies.items():
        put = await client.put(
            f"{url}/terms/1/bodies/{kind}",
            json={"members": members},
            headers=await if_match(client, url, county_official),
        )
        assert put.status_code == 200, put.text

    async def rules() -> dict[str, dict[str, object]]:
        answer = await client.get(f"{url}/leadership", headers=county_official)
        assert answer.status_code == 200, answer.text
        return {rule["rule"]: rule for rule in answer.json()["rules"]}

    before = (await rules())["congress-role-model-share"]
    assert (before["met"], before["minimum_percent"]) == (False, 60)  # 1 of 3 by seed 002
    assert await compliant_federations(client, county_official) == 0

    policy_url = f"/v1/policies/{ROLE_MODELS}/regions/{XINGQING}"
    too_much = await client.put(
        f"{policy_url}/values/2020-01-01",
        json={"value": 101, "reason": "文件"},
        headers=await if_match(client, policy_url, county_admin),
    )
    assert too_much.status_code == 422
    assert "0—100%" in too_much.json()["detail"]
    version_before = (await client.get(url, headers=county_official)).json()["version"]
    lowered = await client.put(
        f"{policy_url}/values/2020-01-01",
        json={"value": 30, "reason": "兴庆区残联〔2026〕2号"},
        headers=await if_match(client, policy_url, county_admin),
    )
    assert lowered.status_code == 200, lowered.text
    assert (lowered.json()["reevaluated"], lowered.json()["changed"]) == (1, 1)
    after = (await rules())["congress-role-model-share"]
    assert (after["met"], after["minimum_percent"]) == (True, 30)
    organisation = (await client.get(url, headers=county_official)).json()
    assert organisation["leadership_compliant"] is True
    assert organisation["version"] == version_before + 1
    assert await compliant_federations(client, county_official) == 1
