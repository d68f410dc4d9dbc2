"""Department indicators that add up, on PostgreSQL: counties report a numerator and a
denominator, a city's and a province's value is the sum of the numerators over the sum of
the denominators, a county's plain value or silence makes the upper value incomplete, and a
value typed above the county or a numerator above its denominator is refused."""

from __future__ import annotations

import io
from typing import Any

import httpx
from fastapi import FastAPI
from openpyxl import Workbook

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions import mappers
from canlian.metrics.rollups import denominators
from canlian.testing.services import bearer, runtime_of

from ..conftest import CHENGGUAN, DIVISIONS, GANSU, LANZHOU, QILIHE, create_plan

TIANSHUI = "620500000000"
QINZHOU = "620502000000"  # 秦州区, the third county, in another city
CHILDREN = "child-rehabilitation-coverage"
QUOTA = "quota-employment"
VALUES = "/v1/plans/gs-12th/reported-values"


async def three_counties(rollback: FastAPI) -> None:
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(
            session,
            [
                mappers.DivisionRow(*row)
                for row in [
                    *DIVISIONS,
                    (TIANSHUI, "天水市", 2, GANSU),
                    (QINZHOU, "秦州区", 3, TIANSHUI),
                ]
            ],
        )


def by_indicator(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(item for item in body["indicators"] if item["indicator"] == code)


async def indicator_of(
    client: httpx.AsyncClient, headers: dict[str, str], region: str, code: str
) -> dict[str, Any]:
    response = await client.get(
        f"/v1/regions/{region}/indicators", params={"plan": "gs-12th"}, headers=headers
    )
    assert response.status_code == 200, response.text
    return by_indicator(response.json(), code)


def counts(region: str, numerator: int, denominator: int, **extra: Any) -> dict[str, Any]:
    return {
        "indicator": CHILDREN,
        "region": region,
        "year": 2015,
        "numerator": numerator,
        "denominator": denominator,
        **extra,
    }


async def test_city_and_province_are_sum_over_sum_of_their_counties(
    client: httpx.AsyncClient, official: dict[str, str], rollback: FastAPI
) -> None:
    await three_counties(rollback)
    await create_plan(client, official)
    values = [
        counts(CHENGGUAN, 90, 100),
        counts(QILIHE, 10, 50),
        counts(QINZHOU, 45, 50),
        {"indicator": QUOTA, "region": CHENGGUAN, "year": 2015, "value": 120},
        {"indicator": QUOTA, "region": QILIHE, "year": 2015, "value": 30},
        {"indicator": QUOTA, "region": QINZHOU, "year": 2015, "value": 50},
    ]
    response = await client.post(VALUES, json={"values": values}, headers=official)
    assert response.status_code == 201, response.text
    county = await indicator_of(client, official, QILIHE, CHILDREN)
    assert (county["value"], county["numerator"], county["denominator"]) == (20.0, 10, 50)
    assert county["completeness"] is None
    city = await indicator_of(client, official, LANZHOU, CHILDREN)
    # 100 / 150, not the mean of 90% and 20% (55%).
    assert (city["value"], city["numerator"], city["denominator"]) == (66.6667, 100, 150)
    assert city["period"] == 2015
    assert city["completeness"] == {
        "counties_in": 2,
        "counties": 2,
        "counties_value_only": 0,
        "complete": True,
    }
    province = await indicator_of(client, official, GANSU, CHILDREN)
    assert (province["value"], province["numerator"], province["denominator"]) == (
        72.5,
        145,
        200,
    )
    assert province["completeness"]["counties_in"] == province["completeness"]["counties"] == 3
    quota = await indicator_of(client, official, GANSU, QUOTA)
    assert (quota["value"], quota["completeness"]["complete"]) == (200.0, True)
    listed = (await client.get(VALUES, headers=official)).json()["items"]
    stored = {(item["region"], item["indicator"]): item for item in listed}
    assert (stored[(QINZHOU, CHILDREN)]["numerator"], stored[(QINZHOU, CHILDREN)]["value"]) == (
        45,
        90.0,
    )


async def test_a_plain_value_or_a_silent_county_makes_the_upper_value_incomplete(
    client: httpx.AsyncClient, official: dict[str, str], rollback: FastAPI
) -> None:
    await three_counties(rollback)
    await create_plan(client, official)
    values = [
        counts(CHENGGUAN, 90, 100),
        # Qilihe has no denominator to give: its plain value stays its own.
        {"indicator": CHILDREN, "region": QILIHE, "year": 2015, "value": 80.0},
    ]
    response = await client.post(VALUES, json={"values": values}, headers=official)
    assert response.status_code == 201, response.text
    assert (await indicator_of(client, official, QILIHE, CHILDREN))["value"] == 80.0
    city = await indicator_of(client, official, LANZHOU, CHILDREN)
    assert city["value"] == 90.0
    assert city["completeness"] == {
        "counties_in": 1,
        "counties": 2,
        "counties_value_only": 1,
        "complete": False,
    }
    # Qinzhou reported nothing: one county of three is in Gansu's value.
    province = await indicator_of(client, official, GANSU, CHILDREN)
    assert (province["completeness"]["counties_in"], province["completeness"]["counties"]) == (
        1,
        3,
    )
    assert province["completeness"]["complete"] is False


async def test_bad_counts_and_values_typed_above_the_county_are_422_problems(
    client: httpx.AsyncClient,
    official: dict[str, str],
    rollback: FastAPI,
    postgres_settings: PlatformSettings,
) -> None:
    await three_counties(rollback)
    await create_plan(client, official)
    above = await client.post(
        VALUES, json={"values": [counts(CHENGGUAN, 51, 50)]}, headers=official
    )
    assert above.status_code == 422
    problem = above.json()
    assert problem["type"].endswith("/numerator-above-denominator")
    assert "51" in problem["detail"]
    assert "50" in problem["detail"]
    negative = await client.post(
        VALUES, json={"values": [counts(CHENGGUAN, -1, 50)]}, headers=official
    )
    assert (negative.status_code, negative.json()["type"].split("/")[-1]) == (
        422,
        "negative-value",
    )
    negative_value = await client.post(
        VALUES,
        json={"values": [{"indicator": QUOTA, "region": QILIHE, "year": 2015, "value": -3}]},
        headers=official,
    )
    assert negative_value.status_code == 422
    for region in (LANZHOU, GANSU):
        typed = await client.post(
            VALUES,
            json={"values": [{"indicator": CHILDREN, "region": region, "year": 2015, "value": 90}]},
            headers=bearer(postgres_settings, roles=[auth.OFFICIAL], region=GANSU, subject="g"),
        )
        assert typed.status_code == 422
        assert typed.json()["type"].endswith("/report-per-county")
        assert "县" in typed.json()["detail"]
    english = await client.post(
        VALUES,
        json={"values": [counts(LANZHOU, 1, 2)]},
        headers={**official, "Accept-Language": "en"},
    )
    assert english.status_code == 422
    assert "report per county" in english.json()["detail"]
    # A count has no denominator; a numerator needs its denominator.
    quota = await client.post(
        VALUES,
        json={"values": [{**counts(QILIHE, 1, 2), "indicator": QUOTA}]},
        headers=official,
    )
    assert quota.json()["type"].endswith("/indicator-has-no-denominator")
    half = await client.post(
        VALUES,
        json={"values": [{"indicator": CHILDREN, "region": QILIHE, "year": 2015, "numerator": 1}]},
        headers=official,
    )
    assert half.status_code == 422
    # Nothing of the refused requests was stored.
    assert (await client.get(VALUES, headers=official)).json()["items"] == []
    # The income ratio does not add up: typed at any level as before.
    plain = await client.post(
        VALUES,
        json={
            "values": [{"indicator": "income-ratio", "region": GANSU, "year": 2015, "value": 70}]
        },
        headers=official,
    )
    assert plain.status_code == 201, plain.text


async def test_an_upload_carries_numerators_and_denominators_beside_plain_values(
    client: httpx.AsyncClient, official: dict[str, str], rollback: FastAPI
) -> None:
    await three_counties(rollback)
    await create_plan(client, official)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["指标代码", "区划代码", "年度", "分子", "分母", "数值"])
    sheet.append([CHILDREN, CHENGGUAN, 2015, 90, 100, None])
    sheet.append([CHILDREN, QILIHE, 2015, 10.0, 50.0, None])  # whole numbers as Excel writes them
    sheet.append(["employment-rate", QINZHOU, 2015, None, None, 88])
    sheet.append([CHILDREN, QINZHOU, 2015, 60, 50, None])
    buffer = io.BytesIO()
    book.save(buffer)
    path = f"{VALUES}/upload"
    bad = await client.post(path, files={"file": ("r.xlsx", buffer.getvalue())}, headers=official)
    report = bad.json()
    assert (report["invalid_rows"], report["imported_rows"]) == (1, 0), report
    assert report["errors"][0]["row"] == 5
    assert "60" in report["errors"][0]["reason"]
    assert "50" in report["errors"][0]["reason"]
    sheet.delete_rows(5)
    buffer = io.BytesIO()
    book.save(buffer)
    upload = {"file": ("r.xlsx", buffer.getvalue())}
    good = await client.post(path, files=upload, headers=official)
    assert good.json()["imported_rows"] == 3, good.text
    again = await client.post(path, files=upload, headers=official)
    assert (again.json()["imported_rows"], again.json()["unchanged_rows"]) == (0, 3)
    city = await indicator_of(client, official, LANZHOU, CHILDREN)
    assert (city["value"], city["numerator"], city["denominator"]) == (66.6667, 100, 150)


async def test_the_drill_down_from_the_province_shows_each_citys_computed_value(
    client: httpx.AsyncClient, official: dict[str, str], rollback: FastAPI
) -> None:
    await three_counties(rollback)
    await create_plan(client, official)
    values = [counts(CHENGGUAN, 90, 100), counts(QILIHE, 10, 50), counts(QINZHOU, 45, 50)]
    response = await client.post(VALUES, json={"values": values}, headers=official)
    assert response.status_code == 201, response.text
    page = await client.get(
        f"/v1/regions/{GANSU}/indicators/{CHILDREN}/children",
        params={"plan": "gs-12th"},
        headers=official,
    )
    assert page.status_code == 200, page.text
    cities = {child["region"]["code"]: child["value"] for child in page.json()["children"]}
    assert (cities[LANZHOU]["numerator"], cities[LANZHOU]["denominator"]) == (100, 150)
    assert (cities[TIANSHUI]["value"], cities[TIANSHUI]["completeness"]["complete"]) == (
        90.0,
        True,
    )
