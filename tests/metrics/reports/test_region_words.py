"""Otog Banner (鄂托克旗, 150624) in its own words, on PostgreSQL: its indicators, its report's
sheets and headers say 旗 / 苏木 / 嘎查, and a problem names the banner beside its code."""

import csv
import io
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions import mappers
from canlian.metrics.rollups import denominators
from canlian.testing.services import bearer, runtime_of

from ..conftest import COVERAGE, Apply, by_indicator, envelope, organisation

pytestmark = pytest.mark.postgres

INNER_MONGOLIA = "150000000000"
ORDOS = "150600000000"
OTOG = "150624000000"
WULAN = "150624100000"  # 乌兰镇
SUMITU = "150624200000"  # 苏米图苏木
BAORI_TALA = "150624100202"

OTOG_DIVISIONS = [
    (INNER_MONGOLIA, "内蒙古自治区", 1, "000000000000"),
    (ORDOS, "鄂尔多斯市", 2, INNER_MONGOLIA),
    (OTOG, "鄂托克旗", 3, ORDOS),
    (WULAN, "乌兰镇", 4, OTOG),
    (SUMITU, "苏米图苏木", 4, OTOG),
    ("150624100001", "都斯图社区", 5, WULAN),
    (BAORI_TALA, "包日塔拉嘎查", 5, WULAN),
    ("150624200201", "巴嘎额尔和图嘎查", 5, SUMITU),
]


@pytest.fixture
async def otog(rollback: FastAPI, apply: Apply) -> None:
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(
            session, [mappers.DivisionRow(*row) for row in OTOG_DIVISIONS]
        )
    await apply(
        envelope(organisation("otog-a1", division=BAORI_TALA), at=datetime(2021, 5, 1, tzinfo=UTC))
    )


@pytest.fixture
def mongolia(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region="15", subject="nmg")


async def test_the_banner_reads_its_indicators_and_report_in_its_own_words(
    client: httpx.AsyncClient, mongolia: dict[str, str], otog: None
) -> None:
    body = (await client.get(f"/v1/regions/{OTOG}/indicators", headers=mongolia)).json()
    assert by_indicator(body, COVERAGE)["name_zh"] == "嘎查村(社区)残协覆盖率"
    assert body["level_names"] == {
        "county": "旗级",
        "township": "苏木乡镇级",
        "village": "嘎查村级",
    }
    assert by_indicator(body, "township-full-time-chair")["name_zh"] == (
        "苏木乡镇残联专职理事长配备率"
    )
    response = await client.get(
        f"/v1/regions/{OTOG}/report.xlsx", params={"depth": 2}, headers=mongolia
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["旗级", "苏木乡镇级", "嘎查村级"]
    banner = book["旗级"]
    assert str(banner["A1"].value).startswith("鄂托克旗(150624000000) ")
    headings = [cell.value for cell in banner[3] if cell.value]
    assert "嘎查村(社区)残协覆盖率(%)" in headings
    assert not any("乡镇" in text and "苏木乡镇" not in text for text in headings)
    assert book["苏木乡镇级"]["A2"].value.startswith("苏木乡镇级区划")
    villages = {row[0]: row for row in book["嘎查村级"].iter_rows(min_row=5, values_only=True)}
    assert villages[BAORI_TALA][1] == "包日塔拉嘎查"
    text = await client.get(f"/v1/regions/{OTOG}/report.csv", params={"depth": 2}, headers=mongolia)
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    coverage = {line[0]: line for line in lines[1:] if line[3] == COVERAGE}
    assert coverage[OTOG][2:5:2] == ["旗级", "嘎查村(社区)残协覆盖率"]
    assert coverage[SUMITU][2] == "苏木乡镇级"
    assert coverage[BAORI_TALA][2] == "嘎查村级"


async def test_the_province_keeps_its_words_and_the_nation_the_national_ones(
    client: httpx.AsyncClient, mongolia: dict[str, str], admin: dict[str, str], otog: None
) -> None:
    body = (await client.get(f"/v1/regions/{INNER_MONGOLIA}/indicators", headers=mongolia)).json()
    assert body["region"]["name"] == "内蒙古自治区"
    assert body["level_names"]["county"] == "旗县级"
    nation = (await client.get("/v1/regions/000000000000/indicators", headers=admin)).json()
    assert nation["level_names"]["township"] == "乡镇级"
    assert by_indicator(nation, COVERAGE)["name_zh"] == "村(社区)残协覆盖率"
    assert by_indicator(body, "counties-with-statistics-rate")["name_zh"] == (
        "统计数据覆盖的旗县(市)比例"
    )


async def test_a_problem_names_the_banner_beside_its_code(
    client: httpx.AsyncClient, mongolia: dict[str, str], otog: None
) -> None:
    above = await client.get(
        f"/v1/regions/{OTOG}/indicators/{COVERAGE}/children",
        params={"level": "city"},
        headers=mongolia,
    )
    assert above.status_code == 422
    assert "鄂托克旗(150624000000)" in above.json()["detail"]
    english = await client.get(
        f"/v1/regions/{OTOG}/indicators/{COVERAGE}/children",
        params={"level": "city"},
        headers={**mongolia, "Accept-Language": "en"},
    )
    assert "鄂托克旗(150624000000)" in english.json()["detail"]
