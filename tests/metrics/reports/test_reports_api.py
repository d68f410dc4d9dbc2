"""The statistical report on PostgreSQL: a sheet per level, and the same as CSV."""

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook

from ..conftest import (
    CHENGGUAN,
    COVERAGE,
    LANZHOU,
    QILIHE,
    create_plan,
)

pytestmark = pytest.mark.postgres


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
