"""The leadership answer shows the actual share of every share rule, met or not."""

import httpx
import pytest

from canlian.testing.services import if_match

from ..conftest import XINGQING, hold_term, register

pytestmark = pytest.mark.postgres


async def test_met_and_unmet_share_rules_both_state_their_share(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    federation = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    await hold_term(
        client, county_official, federation["id"], starts_on="2023-03-01", ends_on="2028-02-28"
    )
    congress = [
        {"name": "代表甲", "role": "member", "is_disabled": True},
        {"name": "代表乙", "role": "member", "is_disabled": True},
        {"name": "代表丙", "role": "member", "is_relative": True, "is_role_model": True},
    ]
    put = await client.put(
        f"/v1/organisations/{federation['id']}/terms/1/bodies/congress",
        json={"members": congress},
        headers=await if_match(client, f"/v1/organisations/{federation['id']}", county_official),
    )
    assert put.status_code == 200, put.text
    rules = {
        rule["rule"]: rule
        for rule in (
            await client.get(
                f"/v1/organisations/{federation['id']}/leadership", headers=county_official
            )
        ).json()["rules"]
    }
    disabled = rules["congress-disabled-share"]
    assert (disabled["met"], disabled["count"], disabled["total"]) == (True, 3, 3)
    assert (disabled["share_percent"], disabled["minimum_percent"]) == (100.0, 65)
    assert disabled["reason"] is None
    role_models = rules["congress-role-model-share"]
    assert (role_models["met"], role_models["count"], role_models["total"]) == (False, 1, 3)
    assert (role_models["share_percent"], role_models["minimum_percent"]) == (33.3, 60)
    assert isinstance(role_models["count"], int)
    assert rules["presidium-disabled-share"]["count"] is None  # no presidium recorded yet
