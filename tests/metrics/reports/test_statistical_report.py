"""Shangyu's 十三五 final evaluation as the statistician sends it, on PostgreSQL: the form's
header from the accepted submission, A4 landscape workbook with a page per indicator group,
and the PDF for publication rendered to PNG by poppler's pdftoppm."""

import io
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from canlian.common import auth
from canlian.common.auth import Principal
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions import mappers
from canlian.metrics.plans.seeds import define_seed_plans
from canlian.metrics.rollups import denominators
from canlian.testing.services import bearer, if_match, runtime_of

pytestmark = pytest.mark.postgres

ZHEJIANG = "330000000000"
SHAOXING = "330600000000"
SHANGYU = "330604000000"
BAIGUAN = "330604001000"
CAOE = "330604002000"

SHANGYU_DIVISIONS = [
    (ZHEJIANG, "浙江省", 1, "000000000000"),
    (SHAOXING, "绍兴市", 2, ZHEJIANG),
    (SHANGYU, "上虞区", 3, SHAOXING),
    (BAIGUAN, "百官街道", 4, SHANGYU),
    (CAOE, "曹娥街道", 4, SHANGYU),
    ("330604001001", "一社区", 5, BAIGUAN),
    ("330604001002", "二社区", 5, BAIGUAN),
    ("330604002001", "三村", 5, CAOE),
]

HEADER = {
    "form_number": "上残规统1表",
    "issuing_authority": "绍兴市残疾人联合会",
    "reporting_unit": "上虞区残疾人联合会",
    "unit_head": "王主任",
    "statistics_head": "李统计",
    "preparer": "张填表",
}

PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture
async def shangyu_2020_accepted(
    client: httpx.AsyncClient, rollback: FastAPI, postgres_settings: PlatformSettings
) -> dict[str, str]:
    """Shangyu's seeded plan, 2020 reported values, submitted and accepted by Shaoxing;
    returns the headers of a Zhejiang official."""
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(
            session, [mappers.DivisionRow(*row) for row in SHANGYU_DIVISIONS]
        )
        root = Principal(subject="root", roles=frozenset({auth.ADMIN}), region="000000000000")
        await define_seed_plans(session, root)
    county = bearer(postgres_settings, roles=[auth.OFFICIAL], region=SHANGYU, subject="sy")
    city = bearer(postgres_settings, roles=[auth.OFFICIAL], region=SHAOXING, subject="sx")
    reported = {
        "subsistence-subsidy-coverage": 99.2,
        "child-rehabilitation-coverage": 96.0,
        "employment-rate": 90.5,
        "pension-insurance-rate": 95.0,
    }
    response = await client.post(
        "/v1/plans/sy-13th/reported-values",
        json={
            "values": [
                {"indicator": code, "region": SHANGYU, "year": 2020, "value": value}
                for code, value in reported.items()
            ]
        },
        headers=county,
    )
    assert response.status_code == 201, response.text
    submitted = await client.post(
        "/v1/plans/sy-13th/submissions",
        json={"region": SHANGYU, "year": 2020, "header": HEADER, "note": "十三五终期"},
        headers=county,
    )
    assert submitted.status_code == 201, submitted.text
    accepted = await client.post(
        f"/v1/submissions/{submitted.json()['id']}/accept",
        headers=await if_match(client, f"/v1/submissions/{submitted.json()['id']}", city),
    )
    assert accepted.status_code == 200, accepted.text
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=ZHEJIANG, subject="zj")


async def test_the_workbook_has_the_form_header_and_prints_a_group_per_page(
    client: httpx.AsyncClient, shangyu_2020_accepted: dict[str, str]
) -> None:
    response = await client.get(
        f"/v1/regions/{SHANGYU}/statistical-report.xlsx",
        params={"plan": "sy-13th", "period": "final"},
        headers=shangyu_2020_accepted,
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["统计表"]
    assert sheet["A1"].value == "上虞区残疾人事业发展“十三五”规划执行情况统计表"
    assert "终期评估(2020 年)" in sheet["A2"].value
    # The region named beside its code in the header.
    assert sheet["A2"].value.startswith("上虞区(330604000000) · ")
    assert "截至 2020 年 12 月 31 日" in sheet["A2"].value
    assert "已审核锁定" in sheet["A2"].value
    header = {
        sheet.cell(row=r, column=c).value: sheet.cell(row=r, column=c + 1).value
        for r in (3, 4)
        for c in (1, 3, 5, 7)
    }
    assert header["表号:"] == "上残规统1表"
    assert header["填报单位:"] == "上虞区残疾人联合会"
    assert header["填表人:"] == "张填表"
    assert header["报出日期:"] is not None
    lines = {
        row[1]: row
        for row in sheet.iter_rows(min_row=7, values_only=True)
        if isinstance(row[0], int)
    }
    # Every one of the plan's 76 targets (seed 004's headline table and its eight tables),
    # none twice.
    assert len(lines) == 76
    volunteers = lines["注册助残志愿者人数"]
    assert volunteers[2:8] == ("个(人)", "≥650", 0, 650, "未达标", "系统汇总")
    child = lines["0-6岁残疾儿童康复服务覆盖率"]
    assert child[3:8] == ("≥97", 96.0, 1.0, "未达标", "部门填报(2020)")
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$6:$6"
    assert len(sheet.row_breaks.brk) == 7  # eight indicator groups


def rendered(pdf: bytes, directory: Path) -> tuple[list[tuple[int, int, int]], str]:
    """Each page rendered by pdftoppm at 100 dpi (width, height, darkest grey) and the text."""
    from PIL import Image

    assert PDFTOPPM is not None
    path = directory / "shangyu-13th-final.pdf"
    path.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "100", "-png", str(path), str(directory / "page")], check=True)
    pages: list[tuple[int, int, int]] = []
    for page in sorted(directory.glob("page-*.png")):
        with Image.open(page) as image:
            darkest = image.convert("L").getextrema()[0]
            assert isinstance(darkest, int)
            pages.append((image.size[0], image.size[1], darkest))
    text = subprocess.run(
        [str(Path(PDFTOPPM).with_name("pdftotext")), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return pages, text


@pytest.mark.skipif(PDFTOPPM is None, reason="poppler-utils (pdftoppm) is not installed")
async def test_the_publication_pdf_renders_a4_landscape_pages_without_names(
    client: httpx.AsyncClient, shangyu_2020_accepted: dict[str, str], tmp_path: Path
) -> None:
    response = await client.get(
        f"/v1/regions/{SHANGYU}/statistical-report.pdf",
        params={"plan": "sy-13th", "period": "final"},
        headers=shangyu_2020_accepted,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pages, text = rendered(response.content, tmp_path)
    assert len(pages) == 8  # one page per indicator group
    for width, height, darkest in pages:
        # A4 landscape (297 x 210 mm) at 100 dpi: 1169-1170 x 827 pixels.
        assert (round(width, -1), height) == (1170, 827)
        assert darkest < 100  # something is printed: the page is not blank
    assert "上虞区残疾人联合会" in text
    assert "注册助残志愿者人数" in text
    for name in ("王主任", "李统计", "张填表"):
        assert name not in text


async def test_a_period_that_is_neither_a_milestone_nor_a_plan_year_is_refused(
    client: httpx.AsyncClient, shangyu_2020_accepted: dict[str, str]
) -> None:
    for period in ("someday", "2012"):
        response = await client.get(
            f"/v1/regions/{SHANGYU}/statistical-report.xlsx",
            params={"plan": "sy-13th", "period": period},
            headers=shangyu_2020_accepted,
        )
        assert response.status_code == 422, period
