"""Names and titles the metrics API takes are plain human text, dates lie within 1900..2100,
and target and reported numbers are finite: `Infinity` and `NaN` (which Python's JSON parser
reads) are 422 and nothing is stored."""

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.metrics.plans.models import Plan, PlanTarget, ReportedValue
from canlian.testing.services import runtime_of

from .conftest import CHENGGUAN, COVERAGE, GANSU, LANZHOU, create_plan

pytestmark = pytest.mark.postgres

PLAN = {"code": "gs-13th", "name": "十三五", "region": GANSU}
PERIOD = {"start_year": 2016, "end_year": 2020, "midterm_year": 2018}
TARGET = {"indicator": COVERAGE, "region": LANZHOU, "comparator": "ge", "final_value": 90}
REPORTED = {"indicator": "employment-rate", "region": CHENGGUAN, "year": 2014, "value": 86.5}
HEADER = {
    "form_number": "残联规划统计1表",
    "issuing_authority": "甘肃省残疾人联合会",
    "reporting_unit": "城关区残疾人联合会",
    "unit_head": "王主任",
    "statistics_head": "李统计",
    "preparer": "张填表",
}
INDICATOR = {
    "code": "custom-count",
    "name_zh": "自定义指标",
    "name_en": "A custom indicator",
    "kind": "reported",
    "unit": "count",
}

# (method, path, body, the refused field's name as the problem names it); in a body given as
# text, INF, NAN, MID and REP stand for the raw JSON objects of `RAW`.
CASES: list[tuple[str, str, Any, str]] = [
    ("POST", "/v1/plans", {**PLAN, **PERIOD, "name": "十三\u202e五"}, "name"),
    ("POST", "/v1/plans", {**PLAN, **PERIOD, "name": "十三\x00五"}, "name"),
    ("POST", "/v1/plans", {**PLAN, **PERIOD, "name": " \u200b "}, "name"),
    (
        "PUT",
        "/v1/plans/gs-12th/targets",
        {"targets": [{**TARGET, "final_value": "inf"}]},
        "final_value",
    ),
    ("PUT", "/v1/plans/gs-12th/targets", '{"targets": [INF]}', "final_value"),
    ("PUT", "/v1/plans/gs-12th/targets", '{"targets": [NAN]}', "midterm_value"),
    ("PUT", "/v1/plans/gs-12th/targets", '{"targets": [MID]}', "midterm_value"),
    ("POST", "/v1/plans/gs-12th/reported-values", '{"values": [REP]}', "value"),
    (
        "POST",
        "/v1/plans/gs-12th/submissions",
        {"region": GANSU, "year": 2014, "header": {**HEADER, "preparer": "张\u2066填表"}},
        "preparer",
    ),
    (
        "PUT",
        "/v1/plans/gs-12th/submission-deadlines",
        {"region": GANSU, "year": 2014, "due": "1066-10-14"},
        "due",
    ),
    ("POST", "/v1/indicators", {**INDICATOR, "name_zh": "自定义\u200b指标"}, "name_zh"),
    # Gansu's divisions are loaded: a code of Gansu that is not among them is unknown.
    (
        "PUT",
        "/v1/plans/gs-12th/targets",
        {"targets": [{**TARGET, "region": "620104"}]},
        "620104000000",
    ),
    (
        "POST",
        "/v1/plans/gs-12th/reported-values",
        {"values": [{**REPORTED, "region": "620105"}]},
        "620105000000",
    ),
    (
        "PUT",
        "/v1/plans/gs-12th/submission-deadlines",
        {"region": "620106", "year": 2014, "due": "2015-01-31"},
        "620106000000",
    ),
    # Division codes lie in a known province (99 is none); the problem names the code.
    ("POST", "/v1/plans", {**PLAN, **PERIOD, "region": "99"}, "990000000000"),
    (
        "POST",
        "/v1/plans/gs-12th/reported-values",
        {"values": [{**REPORTED, "region": "9901"}]},
        "990100000000",
    ),
]

RAW = {
    "INF": json.dumps(TARGET)[:-1] + ', "final_value": Infinity}',
    "NAN": json.dumps({**TARGET, "final_value": 1})[:-1] + ', "midterm_value": NaN}',
    "MID": json.dumps(TARGET)[:-1] + ', "midterm_value": -Infinity}',
    "REP": json.dumps({k: v for k, v in REPORTED.items() if k != "value"})[:-1] + ', "value": NaN}',
}


async def _count(app: FastAPI, model: Any) -> int:
    async with runtime_of(app).database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(("method", "path", "body", "field"), CASES)
async def test_bad_names_dates_and_numbers_are_422_and_not_stored(
    client: httpx.AsyncClient,
    official: dict[str, str],
    admin: dict[str, str],
    rollback: FastAPI,
    gansu: None,
    method: str,
    path: str,
    body: Any,
    field: str,
) -> None:
    await create_plan(client, official)
    before = [await _count(rollback, model) for model in (Plan, PlanTarget, ReportedValue)]
    if isinstance(body, str):
        for key, raw in RAW.items():
            body = body.replace(key, raw)
        content = body.replace("'", '"')
        assert json.loads(content)  # Python reads Infinity and NaN
    else:
        content = json.dumps(body, ensure_ascii=False)
    headers = {**(admin if path == "/v1/indicators" else official)}
    headers["Content-Type"] = "application/json"
    response = await client.request(method, path, content=content, headers=headers)
    assert response.status_code == 422, response.text
    assert field in response.text
    after = [await _count(rollback, model) for model in (Plan, PlanTarget, ReportedValue)]
    assert after == before
