"""The county's ranked year-end township scores as an xlsx download over HTTP on PostgreSQL
(003: 百分制目标考核制度,评定等次): rows in rank order, each township named with its level word
(街道, 镇), the grade in Chinese, each item's score; a formula typed as an item's title stays
text; a sheet not scored yet has nothing to export (409)."""

import io

import httpx
import pytest
from fastapi import FastAPI

from canlian.metrics.contributions import mappers
from canlian.metrics.rollups import denominators
from canlian.testing.services import if_match, runtime_of

from ..conftest import CHENGGUAN, TOWNSHIP
from .test_township_scores import SHEETS, sheet_body

pytestmark = pytest.mark.postgres

SECOND_TOWNSHIP = "620102002000"


async def test_the_ranked_scores_download_as_a_formula_safe_workbook(
    client: httpx.AsyncClient, rollback: FastAPI, gansu: None, official: dict[str, str]
) -> None:
    from openpyxl import load_workbook

    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(
            session,
            [
                mappers.DivisionRow(SECOND_TOWNSHIP, "丙镇", 4, CHENGGUAN),
                mappers.DivisionRow("620102002001", "六村委会", 5, SECOND_TOWNSHIP),
            ],
        )
    items = sheet_body()["items"]
    items[1]["title"] = '=HYPERLINK("http://x","工作")'
    created = await client.post(SHEETS, json=sheet_body(items=items), headers=official)
    assert created.status_code == 201, created.text
    url = f"{SHEETS}/{created.json()['id']}"
    early = await client.get(f"{url}/results.xlsx", headers=official)
    assert early.status_code == 409, early.text
    assert early.json()["type"].endswith("/township-score-sheet-not-scored")
    scored = await client.put(
        f"{url}/townships/{SECOND_TOWNSHIP}/scores",
        json={"scores": [{"item": "work", "score": "38.5"}]},
        headers=await if_match(client, url, official),
    )
    assert scored.status_code == 200, scored.text
    year_end = await client.post(f"{url}/year-end", headers=await if_match(client, url, official))
    assert year_end.status_code == 200, year_end.text

    response = await client.get(f"{url}/results.xlsx", headers=official)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f"township-scores-{CHENGGUAN}-2025.xlsx" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith(f"城关区({CHENGGUAN}) 2025 年度")
    heading = [cell.value for cell in sheet[2]]
    assert heading[:6] == [
        "排名 rank",
        "区划代码 code",
        "乡镇(街道)township",
        "类别 level",
        "总分 total",
        "等次 grade",
    ]
    formula_title = sheet.cell(row=2, column=8)
    assert formula_title.data_type == "s"
    assert str(formula_title.value).startswith("=HYPERLINK")
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    # 甲街道: coverage 60 of 60, work unscored (0); 丙镇: no association (0), work 38.5.
    assert body == [
        [1, TOWNSHIP, f"甲街道({TOWNSHIP})", "街道", 60, "合格", 60, 0],
        [2, SECOND_TOWNSHIP, f"丙镇({SECOND_TOWNSHIP})", "镇", 38.5, "不合格", 0, 38.5],
    ]
