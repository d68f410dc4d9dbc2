"""Region names in the dashboard, in real headless Chromium: whole (内蒙古自治区, not 蒙古…),
in the bar chart's labels as in the picker and the breadcrumb; skipped without chromium."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from canlian.common import auth
from canlian.common.db.database import Database
from canlian.common.events.base import CloudEvent
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app
from canlian.metrics.cli.divisions import load_divisions
from canlian.metrics.divisions.dataset import read_dataset
from canlian.metrics.rollups.consumer import rollup_events
from canlian.metrics.settings import MetricsSettings
from canlian.testing.browser import CHROMIUM, chromium, serve

from ..conftest import organisation

# The bar chart's drawn texts and where they start and end on its canvas.
LABELS = """JSON.stringify(bar.getZr().storage.getDisplayList(true)
  .filter((e) => e.style && typeof e.style.text === 'string')
  .map((e) => { const r = e.getBoundingRect().clone();
    if (e.transform) r.applyTransform(e.transform);
    return [e.style.text, Math.round(r.x), Math.round(r.x + r.width)]; }))"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

PROVINCES = [
    ("150000000000", "内蒙古自治区"),
    ("650000000000", "新疆维吾尔自治区"),
    ("450000000000", "广西壮族自治区"),
    ("620000000000", "甘肃省"),
]
OTOG = "150624000000"
# As the NBS names it: 13 characters, wider than the old fixed label margin.
LONG_VILLAGE = "巴嘎额尔和图嘎查村民委员会"
ROWS = [
    *[(code, name, 1, "") for code, name in PROVINCES],
    ("150600000000", "鄂尔多斯市", 2, "150000000000"),
    (OTOG, "鄂托克旗", 3, "150600000000"),
    ("150624100000", "乌兰镇", 4, OTOG),
    ("150624200000", "苏米图苏木", 4, OTOG),
    ("150624100202", "包日塔拉嘎查", 5, "150624100000"),
    ("150624200201", LONG_VILLAGE, 5, "150624200000"),
]


async def _populate(settings: MetricsSettings, dataset: Path) -> None:
    await load_divisions(settings, read_dataset(dataset, None))
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            at = datetime(2021, 3, 1, tzinfo=UTC)
            event = organisation("otog-a1", division="150624100202")
            await rollup_events(
                session, [CloudEvent.wrap(event, source="/t").model_copy(update={"time": at})]
            )
    finally:
        await database.dispose()


@pytest.fixture
def dashboard(embedded_settings: PlatformSettings, tmp_path: Path) -> Iterator[str]:
    settings = MetricsSettings(**{**embedded_settings.model_dump(), "canlian_run_workers": False})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent_code"])
    writer.writerows(ROWS)
    dataset = tmp_path / "divisions.csv"
    dataset.write_text(buffer.getvalue(), encoding="utf-8")
    asyncio.run(_populate(settings, dataset))
    with serve(create_app(settings, run_consumer=False)) as base:
        yield base


def _drawn_labels(page: Any) -> dict[str, tuple[int, int]]:
    drawn = json.loads(page.evaluate(LABELS))
    return {text: (left, right) for text, left, right in drawn}


def test_region_names_are_drawn_whole_and_the_banner_speaks_its_words(
    dashboard: str, embedded_settings: PlatformSettings
) -> None:
    token = auth.issue_token(
        embedded_settings, subject="nation", roles=[auth.OFFICIAL], region="000000000000"
    )
    with chromium() as open_page:
        page = open_page(f"{dashboard}/dashboard#token={token}")
        page.wait_for("document.querySelector('#children').options.length > 4")
        page.wait_for("bar.getOption().yAxis[0].data.length === 4")
        options = page.evaluate("[...document.querySelector('#children').options].map(o => o.text)")
        assert "内蒙古自治区" in options
        width = int(page.evaluate("bar.getWidth()"))
        drawn = _drawn_labels(page)
        # Each province's label is its whole name, and it lies on the canvas (none cut at
        # its start, as 内蒙古自治区 once read 蒙古自治区).
        for _, name in PROVINCES:
            assert name in drawn
            left, right = drawn[name]
            assert 0 <= left < right <= width
        assert 0 <= drawn["差距"][0] < drawn["差距"][1] <= width

        page.evaluate(f"goTo({OTOG!r})")
        page.wait_for("document.querySelector('#breadcrumb strong').textContent === '鄂托克旗'")
        page.wait_for(
            "[...document.querySelectorAll('#cards h3')].some("
            "(h) => h.textContent === '嘎查村(社区)残协覆盖率')"
        )
        levels = page.evaluate("[...document.querySelector('#level').options].map(o => o.text)")
        assert levels == ["直接下级", "旗级", "苏木乡镇级", "嘎查村级"]
        page.evaluate("document.querySelector('#level').value = 'village'; renderCharts()")
        page.wait_for("bar.getOption().yAxis[0].data.includes(" + repr(LONG_VILLAGE) + ")")
        drawn = _drawn_labels(page)
        left, right = drawn[LONG_VILLAGE]
        assert 0 <= left < right <= width
        assert page.console_errors() == []
