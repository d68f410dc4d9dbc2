"""Township target scoring over HTTP on PostgreSQL (003: 县市区残联每年向乡镇下达任务指标,实行
百分制目标考核制度,评定等次): 城关区 sets a 100-point sheet with an indicator item (village
organisation coverage) and a qualitative one; the inspector scores the qualitative items; the
year end scores the indicator from each township's value, grades and ranks them; bad sheets
and scores are refused, a scored sheet no longer changes."""

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.db.metadata import platform_tables
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions import mappers
from canlian.metrics.models import Base
from canlian.metrics.rollups import denominators
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import CHENGGUAN, COVERAGE, QILIHE_TOWNSHIP, TOWNSHIP

pytestmark = pytest.mark.postgres

SECOND_TOWNSHIP = "620102002000"  # 丙街道: one village, no association
SHEETS = "/v1/township-score-sheets"


def sheet_body(**changes: Any) -> dict[str, Any]:
    return {
        "county": CHENGGUAN,
        "year": 2025,
        "title": "城关区2025年乡镇残联工作目标考核",
        "items": [
            {
                "code": "coverage",
                "title": "村(社区)残协覆盖",
                "points": 60,
                "kind": "indicator",
                "indicator": COVERAGE,
                "comparator": "at_least",
                "target": 100,
            },
            {"code": "work", "title": "日常工作", "points": 40, "kind": "qualitative"},
        ],
        **changes,
    }


async def scored_events(app: FastAPI) -> list[dict[str, Any]]:
    outbox = platform_tables(Base.metadata).outbox
    async with runtime_of(app).database.session() as session:
        rows = await session.scalars(
            select(outbox.c.envelope).where(outbox.c.event_type.endswith("townships.scored"))
        )
        return [json.loads(row)["data"] for row in rows]


async def test_a_county_scores_grades_and_ranks_its_townships(
    client: httpx.AsyncClient,
    rollback: FastAPI,
    gansu: None,
    official: dict[str, str],
    postgres_settings: PlatformSettings,
) -> None:
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(
            session,
            [
                mappers.DivisionRow(SECOND_TOWNSHIP, "丙街道", 4, CHENGGUAN),
                mappers.DivisionRow("620102002001", "六社区", 5, SECOND_TOWNSHIP),
            ],
        )
    points = await client.post(
        SHEETS, json=sheet_body(items=sheet_body()["items"][:1]), headers=official
    )
    assert points.status_code == 422, points.text
    township_sheet = await client.post(SHEETS, json=sheet_body(county=TOWNSHIP), headers=official)
    assert township_sheet.status_code == 422
    created = await client.post(SHEETS, json=sheet_body(), headers=official)
    assert created.status_code == 201, created.text
    sheet = created.json()
    again = await client.post(SHEETS, json=sheet_body(), headers=official)
    assert again.status_code == 409
    url = f"{SHEETS}/{sheet['id']}"

    async def qualitative(township: str, score: str) -> httpx.Response:
        return await client.put(
            f"{url}/townships/{township}/scores",
            json={"scores": [{"item": "work", "score": score}]},
            headers=await if_match(client, url, official),
        )

    assert (await qualitative(TOWNSHIP, "41")).status_code == 422
    assert (await qualitative(QILIHE_TOWNSHIP, "30")).status_code == 422
    indicator_by_hand = await client.put(
        f"{url}/townships/{TOWNSHIP}/scores",
        json={"scores": [{"item": "coverage", "score": "60"}]},
        headers=await if_match(client, url, official),
    )
    assert indicator_by_hand.status_code == 422
    assert (await qualitative(TOWNSHIP, "35")).status_code == 200
    assert (await qualitative(SECOND_TOWNSHIP, "30")).status_code == 200

    missing = await client.post(f"{url}/year-end", headers=official)
    assert missing.status_code == 428
    year_end = await client.post(f"{url}/year-end", headers=await if_match(client, url, official))
    assert year_end.status_code == 200, year_end.text
    assert year_end.json()["status"] == "scored"
    results = await client.get(f"{url}/results", headers=official)
    assert results.status_code == 200, results.text
    ranked = [
        (row["township"], row["total"], row["grade"], row["rank"])
        for row in results.json()["items"]
    ]
    # 甲街道's two villages are both covered (60 of 60) + 35; 丙街道's one is not (0) + 30.
    assert ranked == [
        (TOWNSHIP, "95.0", "excellent", 1),
        (SECOND_TOWNSHIP, "30.0", "fail", 2),
    ]
    first = results.json()["items"][0]["items"]
    assert [(item["item"], item["value"]) for item in first] == [
        ("coverage", 100.0),
        ("work", None),
    ]

    closed = await qualitative(TOWNSHIP, "40")
    assert closed.status_code == 409
    events = await scored_events(rollback)
    assert [(r["township_code"], r["rank"]) for r in events[0]["results"]] == [
        (TOWNSHIP, 1),
        (SECOND_TOWNSHIP, 2),
    ]
    assert events[0]["average"] == "62.5"
    elsewhere = bearer(
        postgres_settings, roles=[auth.OFFICIAL], region="620103000000", subject="qilihe"
    )
    assert (await client.get(url, headers=elsewhere)).status_code == 404
