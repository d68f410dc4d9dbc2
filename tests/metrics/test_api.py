"""The metrics API on PostgreSQL: catalogue, region values with inherited targets, drill-down,
as-of and trend, plans and targets, reported values, reports, bad input."""

import csv
import io
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions import mappers
from canlian.metrics.plans.models import PlanTarget, ReportedValue
from canlian.metrics.rollups import denominators
from canlian.testing.services import bearer, runtime_of

from .conftest import (
    CHENGGUAN,
    GANSU,
    LANZHOU,
    QILIHE,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_C,
    Apply,
    envelope,
    organisation,
)

pytestmark = pytest.mark.postgres
COVERAGE = "grassroots-organisation-coverage"
QILIHE_TOWNSHIP = "620103001000"
VILLAGE_D = "620103001002"
VILLAGE_E = "620103001003"

DIVISIONS = [
    (GANSU, "甘肃省", 1, "000000000000"),
    (LANZHOU, "兰州市", 2, GANSU),
    (CHENGGUAN, "城关区", 3, LANZHOU),
    (QILIHE, "七里河区", 3, LANZHOU),
    (TOWNSHIP, "甲街道", 4, CHENGGUAN),
    (QILIHE_TOWNSHIP, "乙街道", 4, QILIHE),
    (VILLAGE_A, "一社区", 5, TOWNSHIP),
    (VILLAGE_B, "二社区", 5, TOWNSHIP),
    (VILLAGE_C, "三社区", 5, QILIHE_TOWNSHIP),
    (VILLAGE_D, "四社区", 5, QILIHE_TOWNSHIP),
    (VILLAGE_E, "五社区", 5, QILIHE_TOWNSHIP),
]


@pytest.fixture
async def gansu(rollback: FastAPI, apply: Apply) -> None:
    """Two counties: Chengguan's two villages both covered, one of Qilihe's three."""
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(session, [mappers.DivisionRow(*row) for row in DIVISIONS])
    await apply(
        envelope(organisation("a1"), at=datetime(2012, 5, 1, tzinfo=UTC)),
        envelope(organisation("a2", division=VILLAGE_B), at=datetime(2014, 5, 1, tzinfo=UTC)),
        envelope(organisation("a3", division=VILLAGE_C), at=datetime(2014, 6, 1, tzinfo=UTC)),
    )


async def create_plan(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    body = {
        "code": "gs-12th",
        "name": "十二五",
        "region": "62",
        "start_year": 2011,
        "end_year": 2015,
        "midterm_year": 2013,
    }
    response = await client.post("/v1/plans", json=body, headers=headers)
    assert response.status_code == 201, response.text
    targets = {
        "targets": [
            {
                "indicator": COVERAGE,
                "region": GANSU,
                "comparator": "ge",
                "final_value": 100,
                "midterm_value": 60,
            },
            {"indicator": COVERAGE, "region": QILIHE, "comparator": "ge", "final_value": 50},
        ]
    }
    response = await client.put("/v1/plans/gs-12th/targets", json=targets, headers=headers)
    assert response.status_code == 200, response.text


def by_indicator(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(item for item in body["indicators"] if item["indicator"] == code)


async def test_catalogue_is_paginated_and_filtered(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    first = await client.get("/v1/indicators", params={"limit": 20}, headers=official)
    assert first.status_code == 200
    assert len(first.json()["items"]) == 20
    second = await client.get(
        "/v1/indicators",
        params={"limit": 20, "cursor": first.json()["next_cursor"]},
        headers=official,
    )
    codes = [item["code"] for item in first.json()["items"] + second.json()["items"]]
    assert len(codes) == len(set(codes)) == 37
    reported = await client.get("/v1/indicators", params={"kind": "reported"}, headers=official)
    assert {item["kind"] for item in reported.json()["items"]} == {"reported"}
    assert len(reported.json()["items"]) == 13


async def test_unknown_indicator_and_region_are_404_problems(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    missing = await client.get("/v1/indicators/no-such-thing", headers=official)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"].endswith("/unknown-indicator")
    region = await client.get("/v1/regions/621000000000/indicators", headers=official)
    assert region.status_code == 404
    assert region.json()["type"].endswith("/unknown-region")
    drill = await client.get(f"/v1/regions/{LANZHOU}/indicators/nope/children", headers=official)
    assert drill.status_code == 404
    malformed = await client.get("/v1/regions/62x/indicators", headers=official)
    assert malformed.status_code == 422
    assert "区划代码" in malformed.json()["title"]


async def test_region_values_with_inherited_and_overridden_targets(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    province = await client.get(
        f"/v1/regions/{GANSU}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    assert province.status_code == 200
    coverage = by_indicator(province.json(), COVERAGE)
    assert coverage["numerator"] == 3
    assert coverage["denominator"] == 5
    assert coverage["value"] == 60.0
    assert coverage["target"] == {
        "comparator": "ge",
        "value": 100.0,
        "milestone": "final",
        "set_on": GANSU,
        "applies_to": None,
    }
    assert coverage["status"] == "behind"
    assert coverage["gap"] == 40.0
    midterm = await client.get(
        f"/v1/regions/{GANSU}/indicators",
        params={"plan": "gs-12th", "milestone": "midterm"},
        headers=official,
    )
    assert by_indicator(midterm.json(), COVERAGE)["status"] == "met"
    # Qilihe overrides the province's target; Chengguan inherits it.
    qilihe = await client.get(
        f"/v1/regions/{QILIHE}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    item = by_indicator(qilihe.json(), COVERAGE)
    assert item["target"]["set_on"] == QILIHE
    assert item["gap"] == pytest.approx(50 - 100 / 3, abs=1e-3)
    chengguan = await client.get(
        f"/v1/regions/{CHENGGUAN}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    assert by_indicator(chengguan.json(), COVERAGE)["status"] == "met"
    assert by_indicator(chengguan.json(), COVERAGE)["target"]["set_on"] == GANSU


async def test_drill_down_sorts_children_by_gap(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await client.get(
        f"/v1/regions/{LANZHOU}/indicators/{COVERAGE}/children",
        params={"plan": "gs-12th", "limit": 1},
        headers=official,
    )
    assert response.status_code == 200
    page = response.json()
    assert [child["region"]["code"] for child in page["children"]] == [QILIHE]
    assert page["children"][0]["region"]["name"] == "七里河区"
    assert page["children"][0]["value"]["status"] == "behind"
    rest = await client.get(
        f"/v1/regions/{LANZHOU}/indicators/{COVERAGE}/children",
        params={"plan": "gs-12th", "limit": 1, "cursor": page["next_cursor"]},
        headers=official,
    )
    assert [child["region"]["code"] for child in rest.json()["children"]] == [CHENGGUAN]
    assert rest.json()["next_cursor"] is None


async def test_as_of_and_trend_over_the_plan(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    as_of = await client.get(
        f"/v1/regions/{GANSU}/indicators",
        params={"plan": "gs-12th", "as_of": "2013-12-31"},
        headers=official,
    )
    assert by_indicator(as_of.json(), COVERAGE)["value"] == 20.0
    trend = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/trend",
        params={"plan": "gs-12th"},
        headers=official,
    )
    assert trend.status_code == 200
    points = trend.json()["points"]
    assert [point["year"] for point in points] == [2011, 2012, 2013, 2014, 2015]
    assert [point["value"] for point in points] == [0.0, 20.0, 20.0, 60.0, 60.0]
    assert [point["target"] for point in points] == [60.0, 60.0, 60.0, 100.0, 100.0]


async def test_region_scope_hides_other_counties(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings, gansu: None
) -> None:
    chengguan = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    assert (
        await client.get(f"/v1/regions/{CHENGGUAN}/indicators", headers=chengguan)
    ).status_code == 200
    other = await client.get(f"/v1/regions/{QILIHE}/indicators", headers=chengguan)
    assert other.status_code == 404
    assert (await client.get(f"/v1/regions/{GANSU}", headers=chengguan)).status_code == 404


async def test_bad_targets_are_422_and_nothing_is_written(
    client: httpx.AsyncClient, official: dict[str, str], rollback: FastAPI, gansu: None
) -> None:
    await create_plan(client, official)
    good = {
        "indicator": "township-full-time-chair",
        "region": GANSU,
        "comparator": "ge",
        "final_value": 80,
    }
    for bad, kind in (
        ({"comparator": "gt"}, None),
        ({"final_value": 120}, "target-out-of-range"),
        ({"final_value": -1}, "negative-value"),
        ({"indicator": "nope"}, "unknown-indicator"),
    ):
        response = await client.put(
            "/v1/plans/gs-12th/targets",
            json={"targets": [good, {**good, "region": LANZHOU, **bad}]},
            headers=official,
        )
        assert response.status_code in (404, 422), response.text
        if kind:
            assert response.json()["type"].endswith(kind)
    async with runtime_of(rollback).database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(PlanTarget)
            .where(PlanTarget.indicator_code == "township-full-time-chair")
        )
    assert count == 0


async def test_plan_rules(client: httpx.AsyncClient, official: dict[str, str]) -> None:
    body = {
        "code": "p1",
        "name": "x",
        "region": "62",
        "start_year": 2016,
        "end_year": 2020,
        "midterm_year": 2022,
    }
    response = await client.post("/v1/plans", json=body, headers=official)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/invalid-plan-period")
    elsewhere = {**body, "midterm_year": 2018, "region": "33"}
    assert (await client.post("/v1/plans", json=elsewhere, headers=official)).status_code == 403
    key = {"Idempotency-Key": str(uuid.uuid4())}
    created = await client.post(
        "/v1/plans", json={**body, "midterm_year": 2018}, headers={**official, **key}
    )
    again = await client.post(
        "/v1/plans", json={**body, "midterm_year": 2018}, headers={**official, **key}
    )
    assert created.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    duplicate = await client.post(
        "/v1/plans", json={**body, "midterm_year": 2018}, headers=official
    )
    assert duplicate.status_code == 409


async def test_reported_values_inside_the_plan_only(
    client: httpx.AsyncClient, official: dict[str, str], rollback: FastAPI, gansu: None
) -> None:
    await create_plan(client, official)
    value = {"indicator": "employment-rate", "region": GANSU, "year": 2014, "value": 86.5}
    outside = await client.post(
        "/v1/plans/gs-12th/reported-values",
        json={"values": [value, {**value, "year": 2016}]},
        headers=official,
    )
    assert outside.status_code == 422
    assert outside.json()["type"].endswith("/period-outside-plan")
    derived = await client.post(
        "/v1/plans/gs-12th/reported-values",
        json={"values": [{**value, "indicator": COVERAGE}]},
        headers=official,
    )
    assert derived.status_code == 422
    async with runtime_of(rollback).database.session() as session:
        assert await session.scalar(select(func.count()).select_from(ReportedValue)) == 0
    accepted = await client.post(
        "/v1/plans/gs-12th/reported-values",
        json={"values": [value, {**value, "year": 2015, "value": 88.0}]},
        headers=official,
    )
    assert accepted.status_code == 201
    assert accepted.json() == {"accepted": 2}
    values = await client.get(
        f"/v1/regions/{GANSU}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    employment = by_indicator(values.json(), "employment-rate")
    assert (employment["value"], employment["period"]) == (88.0, 2015)


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["指标代码", "区划代码", "年度", "数值"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_excel_upload_reports_every_bad_row_and_imports_nothing(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    content = workbook(
        [
            ["employment-rate", GANSU, 2013, 85],
            ["employment-rate", LANZHOU, 2019, 85],
            ["medical-insurance-rate", LANZHOU, 2013, 130],
            ["nope", LANZHOU, 2013, 1],
        ]
    )
    files = {"file": ("report.xlsx", content)}
    response = await client.post(
        "/v1/plans/gs-12th/reported-values/upload", files=files, headers=official
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["total_rows"], report["invalid_rows"], report["imported_rows"]) == (4, 3, 0)
    assert sorted({error["row"] for error in report["errors"]}) == [3, 4, 5]
    good = workbook(
        [["employment-rate", GANSU, 2013, 85], ["medical-insurance-rate", LANZHOU, 2013, 97]]
    )
    response = await client.post(
        "/v1/plans/gs-12th/reported-values/upload",
        files={"file": ("report.xlsx", good)},
        headers=official,
    )
    assert response.json()["imported_rows"] == 2
    listed = await client.get("/v1/plans/gs-12th/reported-values", headers=official)
    assert len(listed.json()["items"]) == 2
    # The template, filled in, uploads as it is.
    template = await client.get("/v1/plans/gs-12th/reported-values/template.xlsx", headers=official)
    book = load_workbook(io.BytesIO(template.content))
    sheet = book["填报"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 13
    for row in rows:
        row[3].value = 90
    filled = io.BytesIO()
    book.save(filled)
    uploaded = await client.post(
        "/v1/plans/gs-12th/reported-values/upload",
        files={"file": ("filled.xlsx", filled.getvalue())},
        headers=official,
    )
    assert uploaded.json()["imported_rows"] == 13, uploaded.text


async def test_excel_report_has_a_sheet_per_level_and_csv(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await client.get(
        f"/v1/regions/{LANZHOU}/report.xlsx",
        params={"plan": "gs-12th", "depth": 2},
        headers=official,
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["市级", "县级", "乡镇级"]
    counties = book["县级"]
    assert counties["C3"].value == "村(社区)残协覆盖率(%)"
    rows = {row[0]: row for row in counties.iter_rows(min_row=5, values_only=True)}
    assert rows[QILIHE][1] == "七里河区"
    assert rows[QILIHE][2:5] == (
        "≥50",
        pytest.approx(100 / 3, abs=1e-3),
        pytest.approx(50 - 100 / 3, abs=1e-3),
    )
    assert rows[CHENGGUAN][2:5] == ("≥100", 100.0, 0.0)
    assert counties.page_setup.orientation == "landscape"
    assert counties.print_title_rows == "$3:$4"
    text = await client.get(
        f"/v1/regions/{LANZHOU}/report.csv", params={"plan": "gs-12th"}, headers=official
    )
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert lines[0][0] == "区划代码 region"
    qilihe = next(line for line in lines if line[0] == QILIHE and line[3] == COVERAGE)
    assert qilihe[6:8] == ["≥", "50"]
    assert qilihe[10] == "未达标"


async def test_which_counties_of_the_province_are_behind(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/children",
        params={"plan": "gs-12th", "level": "county"},
        headers=official,
    )
    assert response.status_code == 200
    children = response.json()["children"]
    assert [(c["region"]["name"], c["value"]["status"]) for c in children] == [
        ("七里河区", "behind"),
        ("城关区", "met"),
    ]
    above = await client.get(
        f"/v1/regions/{QILIHE}/indicators/{COVERAGE}/children",
        params={"level": "city"},
        headers=official,
    )
    assert above.status_code == 422
    assert above.json()["type"].endswith("/level-not-below")


async def test_target_changes_are_audited(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    change = {
        "targets": [{"indicator": COVERAGE, "region": GANSU, "comparator": "ge", "final_value": 95}]
    }
    assert (
        await client.put("/v1/plans/gs-12th/targets", json=change, headers=official)
    ).status_code == 200
    # The same value again is no change and leaves no entry.
    await client.put("/v1/plans/gs-12th/targets", json=change, headers=official)
    history = await client.get("/v1/plans/gs-12th/targets/history", headers=official)
    assert [(item["region"], item["change"], item["changed_by"]) for item in history.json()] == [
        (GANSU, "无 / none -> ≥100 (中期 60)", "gansu"),
        (QILIHE, "无 / none -> ≥50", "gansu"),
        (GANSU, "≥100 (中期 60) -> ≥95", "gansu"),
    ]


async def test_daily_snapshots_over_a_range(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    response = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/daily",
        params={"start": "2014-04-30", "end": "2014-06-02"},
        headers=official,
    )
    assert response.status_code == 200
    points = {point["day"]: point["value"] for point in response.json()}
    assert len(points) == 34
    assert (points["2014-04-30"], points["2014-05-01"], points["2014-06-01"]) == (20.0, 40.0, 60.0)
    backwards = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/daily",
        params={"start": "2014-06-02", "end": "2014-04-30"},
        headers=official,
    )
    assert backwards.status_code == 422
    reported = await client.get(
        f"/v1/regions/{GANSU}/indicators/employment-rate/daily",
        params={"start": "2014-01-01", "end": "2014-01-02"},
        headers=official,
    )
    assert reported.json()["type"].endswith("/not-a-derived-indicator")


async def test_targets_for_one_level_below(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    """Seed 003: a talent pool of at least 80 in each city and 30 in each county."""
    await create_plan(client, official)
    body = {
        "targets": [
            {
                "indicator": "talent-pool",
                "region": GANSU,
                "comparator": "ge",
                "final_value": 80,
                "applies_to": "city",
            },
            {
                "indicator": "talent-pool",
                "region": GANSU,
                "comparator": "ge",
                "final_value": 30,
                "applies_to": "county",
            },
        ]
    }
    response = await client.put("/v1/plans/gs-12th/targets", json=body, headers=official)
    assert response.status_code == 200, response.text
    assert [item["applies_to"] for item in response.json()] == ["city", "county"]

    async def target_of(code: str) -> Any:
        values = await client.get(
            f"/v1/regions/{code}/indicators", params={"plan": "gs-12th"}, headers=official
        )
        return by_indicator(values.json(), "talent-pool")["target"]

    assert await target_of(GANSU) is None
    assert (await target_of(LANZHOU))["value"] == 80
    county = await target_of(CHENGGUAN)
    assert (county["value"], county["applies_to"], county["set_on"]) == (30, "county", GANSU)
    assert await target_of(TOWNSHIP) is None
    wrong = {"targets": [{**body["targets"][0], "applies_to": "province"}]}
    response = await client.put("/v1/plans/gs-12th/targets", json=wrong, headers=official)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/level-not-below")


async def test_removing_an_override_restores_the_inherited_target(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    params = {"indicator": COVERAGE, "region": QILIHE}
    removed = await client.delete("/v1/plans/gs-12th/targets", params=params, headers=official)
    assert removed.status_code == 204
    qilihe = await client.get(
        f"/v1/regions/{QILIHE}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    assert by_indicator(qilihe.json(), COVERAGE)["target"]["set_on"] == GANSU
    again = await client.delete("/v1/plans/gs-12th/targets", params=params, headers=official)
    assert again.status_code == 404
    history = await client.get("/v1/plans/gs-12th/targets/history", headers=official)
    assert history.json()[-1]["change"] == "≥50 -> 无 / none"
