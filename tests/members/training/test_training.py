"""Training coverage and the untrained in the current plan period."""

import httpx
import pytest
from fastapi import FastAPI

from ..conftest import (
    VILLAGE,
    VILLAGE_2,
    SeedOrganisation,
    all_pages,
    appoint,
    outbox_envelopes,
)

pytestmark = pytest.mark.postgres


async def test_training_coverage_and_untrained_in_the_plan_period(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-1", division_code=VILLAGE)
    await seed_organisation("org-2", division_code=VILLAGE_2)
    trained = await appoint(client, official, 21, "org-1")
    untrained = await appoint(client, official, 22, "org-2", division_code=VILLAGE_2)
    old = await client.post(
        f"/v1/members/{untrained['member_id']}/trainings",
        json={
            "course": "专职委员岗前培训",
            "hours": "16",
            "held_on": "2024-05-10",
            "organiser": "城关区残联",
        },
        headers=official,
    )
    assert old.status_code == 201
    assert old.json()["plan_period"] == "十四五"
    # Recorded today, counted in history on the day it was held.
    trainings = [
        envelope["data"]
        for envelope in await outbox_envelopes(members_app)
        if envelope["type"] == "cn.canlian.members.training.recorded"
    ]
    assert [data["effective_on"] for data in trainings] == ["2024-05-10"]
    recent = await client.post(
        f"/v1/members/{trained['member_id']}/trainings",
        json={
            "course": "残疾人证办理实务",
            "hours": "8",
            "held_on": "2026-03-02",
            "organiser": "兰州市残联",
        },
        headers=official,
    )
    assert recent.json()["plan_period"] == "十五五"
    missing = await all_pages(client, "/v1/reports/untrained", official, as_of="2026-06-30")
    assert [item["id"] for item in missing] == [untrained["member_id"]]
    coverage = (
        await client.get(
            "/v1/reports/training-coverage", params={"as_of": "2026-06-30"}, headers=official
        )
    ).json()
    assert coverage["plan_period"]["name"] == "十五五"
    assert (coverage["workers"], coverage["trained"], coverage["person_times"]) == (2, 1, 1)
    assert coverage["coverage"] == 0.5
    future = await client.post(
        f"/v1/members/{trained['member_id']}/trainings",
        json={
            "course": "未来课程",
            "hours": "8",
            "held_on": "2099-01-01",
            "organiser": "城关区残联",
        },
        headers=official,
    )
    assert future.status_code == 422
