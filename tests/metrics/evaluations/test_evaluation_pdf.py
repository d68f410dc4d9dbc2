"""Shangyu's 十三五 final evaluation printed for publication, on PostgreSQL: the PDF rendered
page by page to PNG with poppler's pdftoppm, each page A4 landscape and not blank, its text
(pdftotext) naming the indicators, the conclusion and the approving level."""

import shutil
from pathlib import Path

import httpx
import pytest
from PIL import Image

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match

from ..reports.test_statistical_report import SHANGYU, SHAOXING, rendered, shangyu_2020_accepted

pytestmark = pytest.mark.postgres

__all__ = ["shangyu_2020_accepted"]

PDFTOPPM = shutil.which("pdftoppm")

CONCLUSION = (
    "上虞区“十三五”规划终期评估:生活补贴、居民养老保险和就业率三项指标达标;注册助残志愿者"
    "人数、专职委员人数和0-6岁残疾儿童康复服务覆盖率未达到规划目标,列入“十四五”重点。"
)


@pytest.mark.skipif(PDFTOPPM is None, reason="poppler-utils (pdftoppm) is not installed")
async def test_shangyus_13th_final_evaluation_prints_legibly(
    client: httpx.AsyncClient,
    shangyu_2020_accepted: dict[str, str],
    postgres_settings: PlatformSettings,
    tmp_path: Path,
) -> None:
    county = bearer(postgres_settings, roles=[auth.OFFICIAL], region=SHANGYU, subject="sy")
    city = bearer(postgres_settings, roles=[auth.OFFICIAL], region=SHAOXING, subject="sx")
    drafted = await client.post(
        "/v1/plans/sy-13th/evaluations",
        json={"region": SHANGYU, "kind": "final", "conclusion": CONCLUSION},
        headers=county,
    )
    assert drafted.status_code == 201, drafted.text
    evaluation = drafted.json()
    assert evaluation["year"] == 2020
    volunteers = next(
        item for item in evaluation["indicators"] if item["name_zh"] == "注册助残志愿者人数"
    )
    assert (volunteers["target"], volunteers["value"], volunteers["status"]) == (650, 0, "not_met")
    approved = await client.post(
        f"/v1/evaluations/{evaluation['id']}/approve",
        headers=await if_match(client, f"/v1/evaluations/{evaluation['id']}", city),
    )
    assert approved.status_code == 200, approved.text

    response = await client.get(
        f"/v1/evaluations/{evaluation['id']}/report.pdf", headers=shangyu_2020_accepted
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pages, text = rendered(response.content, tmp_path)
    # 108 indicators since 0015 (76 with a target on the plan): a few pages, not dozens.
    assert 1 <= len(pages) <= 6
    for width, height, darkest in pages:
        # A4 landscape (297 x 210 mm) at 100 dpi: 1169-1170 x 827 pixels.
        assert (round(width, -1), height) == (1170, 827)
        assert darkest < 100  # something is printed: the page is not blank
    with Image.open(tmp_path / "page-1.png") as first:
        # Printed, not a speck: a fair share of the first page is ink (text and the grid).
        inked = sum(first.convert("L").histogram()[:128])
        assert inked > 20_000
    flat = "".join(text.split())
    assert "上虞区残疾人事业发展“十三五”规划终期评估报告" in flat
    for name in ("注册助残志愿者人数", "0-6岁残疾儿童康复服务覆盖率", "智能化残疾人证使用率"):
        assert name in flat
    assert "".join(CONCLUSION.split())[:40] in flat
    assert "绍兴市审定" in flat
    assert "未达标" in flat
    # The indicators the plan sets a target for come first, in the plan's order.
    assert flat.index("注册助残志愿者人数") < flat.index("村(社区)残协覆盖率")
    # The publication names no account: not the drafter's, not the approver's.
    for account in ("sy", "sx"):
        assert f" {account} " not in f" {text} "
