"""Plans, targets and reported values on PostgreSQL: rules, bad input, uploads, the audit
trail, targets for one level below and removing an override."""

import io
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from canlian.metrics.plans.models import PlanTarget, ReportedValue
from canlian.testing.services import if_match, runtime_of

from ..conftest import (
    CHENGGUAN,
    COVERAGE,
    GANSU,
    LANZHOU,
    QILIHE,
    TOWNSHIP,
    by_indicator,
    create_plan,
)

pytestmark = pytest.mark.postgres


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
    value = {"indicator": "employment-rate", "region": CHENGGUAN, "year": 2014, "value": 86.5}
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
        f"/v1/regions/{CHENGGUAN}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    employment = by_indicator(values.json(), "employment-rate")
    assert (employment["value"], employment["period"]) == (88.0, 2015)


async def test_changing_a_reported_value_names_the_lists_version(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    url = "/v1/plans/gs-12th/reported-values"
    value = {"indicator": "employment-rate", "region": CHENGGUAN, "year": 2014, "value": 86.5}
    new = await client.post(url, json={"values": [value]}, headers=official)
    assert new.status_code == 201, new.text  # a new value: nothing to name
    same = await client.post(url, json={"values": [value]}, headers=official)
    assert same.status_code == 201, same.text  # the same value again replaces nothing
    changed = {"values": [{**value, "value": 87.0}]}
    assert (await client.post(url, json=changed, headers=official)).status_code == 428
    read = await if_match(client, url, official)
    replaced = await client.post(url, json=changed, headers=read)
    assert replaced.status_code == 201, replaced.text
    stale = await client.post(url, json={"values": [{**value, "value": 90.0}]}, headers=read)
    assert stale.status_code == 412
    listed = (await client.get(url, headers=official)).json()["items"]
    assert [item["value"] for item in listed] == [87.0]


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
            ["employment-rate", CHENGGUAN, 2013, 85],
            ["employment-rate", QILIHE, 2019, 85],
            ["medical-insurance-rate", QILIHE, 2013, 130],
            ["nope", QILIHE, 2013, 1],
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
        [["employment-rate", CHENGGUAN, 2013, 85], ["medical-insurance-rate", QILIHE, 2013, 97]]
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
    assert [cell.value for cell in sheet[1]] == [
        "指标代码",
        "区划代码",
        "年度",
        "分子",
        "分母",
        "数值",
    ]
    # Every reported indicator (seed 004's headline table and the rest of its tables, 0015);
    # those that add up once for each of Gansu's two counties, the others for Gansu.
    guide = list(book["指标说明"].iter_rows(min_row=2, values_only=True))
    assert len(guide) == 13 + 70
    per_county = {row[0] for row in guide if "按县" in str(row[3])}
    assert "child-rehabilitation-coverage" in per_county
    assert "income-ratio" not in per_county
    assert len(rows) == len(guide) + len(per_county)
    regions = {(row[0].value, row[1].value) for row in rows}
    assert ("child-rehabilitation-coverage", QILIHE) in regions
    assert ("income-ratio", GANSU) in regions
    for row in rows:
        row[5].value = 90
    filled = io.BytesIO()
    book.save(filled)
    uploaded = await client.post(
        "/v1/plans/gs-12th/reported-values/upload",
        files={"file": ("filled.xlsx", filled.getvalue())},
        headers=official,
    )
    assert uploaded.json()["imported_rows"] == len(rows), uploaded.text


async def test_percent_cells_and_text_are_read_and_a_second_upload_changes_nothing(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["指标代码", "区划代码", "年度", "数值"])
    sheet.append(["employment-rate", CHENGGUAN, 2013, 0.862])
    sheet["D2"].number_format = "0.0%"  # shown as 86.2%
    sheet.append(["medical-insurance-rate", QILIHE, 2013, "99.2%"])
    sheet.append([None, None, None, None])
    sheet.append(["合计", None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = {"file": ("report.xlsx", buffer.getvalue())}
    path = "/v1/plans/gs-12th/reported-values/upload"
    first = await client.post(path, files=upload, headers=official)
    assert first.status_code == 200, first.text
    assert (first.json()["total_rows"], first.json()["imported_rows"]) == (2, 2)
    listed = (await client.get("/v1/plans/gs-12th/reported-values", headers=official)).json()
    assert sorted(item["value"] for item in listed["items"]) == [86.2, 99.2]
    again = await client.post(path, files=upload, headers=official)
    report = again.json()
    assert (report["imported_rows"], report["unchanged_rows"], report["errors"]) == (0, 2, [])
    assert report["unchanged"] == [2, 3]
    # A file that changes a value reported before names the list's version, as a POST does.
    changed = {"file": ("report.xlsx", workbook([["employment-rate", CHENGGUAN, 2013, 90]]))}
    missing = await client.post(path, files=changed, headers=official)
    assert missing.status_code == 428, missing.text
    read = await if_match(client, "/v1/plans/gs-12th/reported-values", official)
    replaced = await client.post(path, files=changed, headers=read)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["imported_rows"] == 1


async def test_target_changes_are_audited(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    change = {
        "targets": [{"indicator": COVERAGE, "region": GANSU, "comparator": "ge", "final_value": 95}]
    }
    url = "/v1/plans/gs-12th/targets"
    # Replacing a target names the version of the plan's targets read.
    assert (await client.put(url, json=change, headers=official)).status_code == 428
    read = await if_match(client, url, official)
    assert (await client.put(url, json=change, headers=read)).status_code == 200
    assert (await client.put(url, json=change, headers=read)).status_code == 412
    # The same value again is no change and leaves no entry.
    again = await client.put(url, json=change, headers=await if_match(client, url, official))
    assert again.status_code == 200, again.text
    history = await client.get("/v1/plans/gs-12th/targets/history", headers=official)
    assert [
        (item["region"], item["change"], item["changed_by"]) for item in history.json()["items"]
    ] == [
        (GANSU, "无 / none -> ≥100 (中期 60)", "gansu"),
        (QILIHE, "无 / none -> ≥50", "gansu"),
        (GANSU, "≥100 (中期 60) -> ≥95", "gansu"),
    ]


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
    assert [item["applies_to"] for item in response.json()["items"]] == ["city", "county"]

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
    url = "/v1/plans/gs-12th/targets"
    missing = await client.delete(url, params=params, headers=official)
    assert missing.status_code == 428
    read = await if_match(client, url, official)
    removed = await client.delete(url, params=params, headers=read)
    assert removed.status_code == 204
    assert removed.headers["ETag"] != read["If-Match"]
    qilihe = await client.get(
        f"/v1/regions/{QILIHE}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    assert by_indicator(qilihe.json(), COVERAGE)["target"]["set_on"] == GANSU
    again = await client.delete(url, params=params, headers=await if_match(client, url, official))
    assert again.status_code == 404
    history = await client.get("/v1/plans/gs-12th/targets/history", headers=official)
    assert history.json()["items"][-1]["change"] == "≥50 -> 无 / none"


async def test_the_template_is_sent_as_the_document_says(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    # Found by the stateful fuzzer: the document named the old Excel type, the route sent xlsx.
    await create_plan(client, official)
    template = await client.get("/v1/plans/gs-12th/reported-values/template.xlsx", headers=official)
    assert template.status_code == 200
    document = (await client.get("/openapi.json")).json()
    operation = document["paths"]["/v1/plans/{plan}/reported-values/template.xlsx"]["get"]
    assert list(operation["responses"]["200"]["content"]) == [template.headers["content-type"]]
