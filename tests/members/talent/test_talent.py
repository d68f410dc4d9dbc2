"""The talent pool against the county target."""

import httpx
import pytest

from ..conftest import (
    COUNTY,
    member_body,
)

pytestmark = pytest.mark.postgres


async def test_talent_pool_against_the_county_target(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    for sequence in range(40, 43):
        await client.post(
            "/v1/members",
            json=member_body(sequence, in_talent_pool=True, reserve_cadre=sequence == 40),
            headers=official,
        )
    summary = (await client.get("/v1/reports/talent-pool", headers=official)).json()
    assert summary == {
        "region": COUNTY,
        "in_talent_pool": 3,
        "reserve_cadres": 1,
        "target": 30,
        "target_met": False,
    }
