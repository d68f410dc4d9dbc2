"""The registry's questions and the metrics indicators answer 三落实 and the full-time chair
with one rule (canlian.common.rules): the registry's answers are compared with what the metrics
mappers make of the registry's snapshots (shaped as its events)."""

from collections import Counter
from typing import Any

import httpx
import pytest

from canlian.common.events.org_registry import OrganisationChanged
from canlian.metrics.contributions.org_registry import organisation_contribution
from canlian.testing.services import if_match

from ..conftest import DAXIN, XINGQING, ZHANGZHENG, hold_term, register

pytestmark = pytest.mark.postgres


async def indicator_counters(client: httpx.AsyncClient, headers: dict[str, str]) -> Counter[str]:
    page = (
        await client.get(
            "/v1/organisation-snapshots", params={"within": XINGQING, "limit": 200}, headers=headers
        )
    ).json()
    counters: Counter[str] = Counter()
    for snapshot in page["items"]:
        mapped = organisation_contribution(OrganisationChanged.model_validate(snapshot))
        for (_, counter), value in mapped.contribution.items():
            counters[counter] += value
    return counters


async def answer(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, **params: Any
) -> list[str]:
    page = (await client.get(path, params={"division": XINGQING, **params}, headers=headers)).json()
    return [item["id"] for item in page["items"]]


async def test_special_associations_three_in_place_agree(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    complete = {"has_staff": True, "has_funds": True, "has_premises": True}
    registered = {}
    for category, funds, flags in (
        ("blind", 20_000, {}),
        ("deaf", 5_000, {}),
        ("physical", 4_999, {}),  # a county association needs 5,000 yuan (seed 003)
        ("intellectual", 8_000, {}),
        ("mental", 9_000, {"has_premises": False}),
    ):
        registered[category] = await register(
            client,
            county_official,
            name=f"兴庆区{category}协会",
            kind="special_association",
            division_code=XINGQING,
            special_category=category,
            standardisation={**complete, **flags, "yearly_activity_funds_yuan": funds},
        )
    failing = await answer(
        client, county_official, "/v1/reports/standardisation-failures", item="three_in_place"
    )
    assert sorted(failing) == sorted([registered["physical"]["id"], registered["mental"]["id"]])
    counters = await indicator_counters(client, county_official)
    assert counters["special_associations"] == 5
    assert counters["special_associations.three_in_place"] == 5 - len(failing) == 3


async def test_township_full_time_chairs_agree(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    townships = []
    for code, role in ((ZHANGZHENG, "full_time_chair"), (DAXIN, "chair")):
        federation = await register(
            client, county_official, name=f"{code}残联", kind="federation", division_code=code
        )
        await hold_term(
            client, county_official, federation["id"], starts_on="2022-01-10", ends_on="2027-01-09"
        )
        response = await client.put(
            f"/v1/organisations/{federation['id']}/terms/1/bodies/executive_council",
            json={"members": [{"name": "马建国", "role": role}]},
            headers=await if_match(
                client, f"/v1/organisations/{federation['id']}", county_official
            ),
        )
        assert response.status_code == 200, response.text
        townships.append(federation["id"])
    without = await answer(
        client, county_official, "/v1/reports/township-federations-without-full-time-chair"
    )
    assert without == [townships[1]]
    counters = await indicator_counters(client, county_official)
    assert counters["federations.township"] == 2
    assert counters["federations.township_full_time_chair"] == 2 - len(without) == 1
