"""The drill-down to every region of a level, ranked in the database: the same order and
values as the evaluation of every region in Python, on PostgreSQL; paged; inherited,
overridden and level-specific targets; the mid-term milestone."""

from datetime import datetime
from typing import Any

import httpx
import pytest

from canlian.metrics.days import BEIJING

from ..conftest import (
    COVERAGE,
    GANSU,
    QILIHE_TOWNSHIP,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_C,
    VILLAGE_D,
    VILLAGE_E,
    create_plan,
)

pytestmark = pytest.mark.postgres

PATH = f"/v1/regions/{GANSU}/indicators/{COVERAGE}/children"


async def ranked(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[tuple[str, str, float | None]]:
    items: list[tuple[str, str, float | None]] = []
    cursor = None
    while True:
        query = {"plan": "gs-12th", **params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(PATH, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += [
            (child["region"]["code"], child["value"]["status"], child["value"]["gap"])
            for child in body["children"]
        ]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_every_village_sorted_by_gap_as_python_ranks_them(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    # Village E must reach 100% itself (its own target beats Qilihe's 50%).
    response = await client.put(
        "/v1/plans/gs-12th/targets",
        json={
            "targets": [
                {"indicator": COVERAGE, "region": VILLAGE_E, "comparator": "ge", "final_value": 100}
            ]
        },
        headers=official,
    )
    assert response.status_code == 200, response.text
    live = await ranked(client, official, level="village", limit=2)
    assert live == [
        (VILLAGE_E, "behind", 100.0),
        (VILLAGE_D, "behind", 50.0),
        (VILLAGE_A, "met", 0.0),
        (VILLAGE_B, "met", 0.0),
        (VILLAGE_C, "met", 0.0),
    ]
    # As of today the whole level is evaluated in Python: the same order and values.
    today = datetime.now(BEIJING).date().isoformat()
    assert await ranked(client, official, level="village", as_of=today) == live
    # The mid-term: Gansu's 60% for Chengguan's villages, Qilihe's (no mid-term value) 50%.
    midterm = await ranked(client, official, level="village", milestone="midterm")
    assert midterm == await ranked(
        client, official, level="village", milestone="midterm", as_of=today
    )
    townships = await ranked(client, official, level="township")
    assert [(code, status) for code, status, _ in townships] == [
        (QILIHE_TOWNSHIP, "behind"),
        (TOWNSHIP, "met"),
    ]
    assert townships[0][2] == pytest.approx(16.6667)
    assert townships == await ranked(client, official, level="township", as_of=today)
    # Without a plan no region has a target: by code, all "no target".
    bare = await client.get(PATH, params={"level": "village"}, headers=official)
    assert [child["value"]["status"] for child in bare.json()["children"]] == ["no_target"] * 5
    assert [child["region"]["code"] for child in bare.json()["children"]] == sorted(
        [VILLAGE_A, VILLAGE_B, VILLAGE_C, VILLAGE_D, VILLAGE_E]
    )
