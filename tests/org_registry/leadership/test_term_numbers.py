"""A term keeps its real number (第七届), and the next one follows it."""

import httpx
import pytest

from ..conftest import XINGQING, hold_term, register

pytestmark = pytest.mark.postgres


async def test_the_first_recorded_term_keeps_its_real_number_and_the_next_follows(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    federation = await register(
        client, county_official, name="兴庆区残联", kind="federation", division_code=XINGQING
    )
    seventh = await hold_term(
        client,
        county_official,
        federation["id"],
        number=7,
        starts_on="2019-06-01",
        ends_on="2024-05-31",
    )
    assert seventh.status_code == 201, seventh.text
    assert seventh.json()["number"] == 7
    stale = await hold_term(
        client,
        county_official,
        federation["id"],
        number=7,
        starts_on="2024-06-01",
        ends_on="2029-05-31",
    )
    assert stale.status_code == 422
    assert stale.json()["type"].endswith("/term-number-not-after-previous")
    assert "8" in stale.json()["detail"]
    eighth = await hold_term(
        client, county_official, federation["id"], starts_on="2024-06-01", ends_on="2029-05-31"
    )
    assert eighth.status_code == 201, eighth.text
    assert eighth.json()["number"] == 8
