"""Class 1 (stored script in the dashboard): names officials control are shown as text.

Division, plan and indicator names carrying markup, quotes, `</script>` and bidi overrides
are rendered by the real dashboard in real headless Chromium; the test proves no script ran
(no payload set `document.title` or a global, no element was injected, the CSP reported no
violation) and that each name shows literally wherever the page shows it."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from canlian.common import auth
from canlian.common.db.database import Database
from canlian.common.events.base import CloudEvent
from canlian.common.settings import PlatformSettings
from canlian.common.web_security import CONTENT_SECURITY_POLICY
from canlian.metrics.app import create_app
from canlian.metrics.cli.divisions import load_divisions
from canlian.metrics.cli.seed_plans import define_seed_plans
from canlian.metrics.divisions.dataset import read_dataset
from canlian.metrics.rollups.consumer import rollup_events
from canlian.metrics.settings import MetricsSettings
from canlian.testing.browser import CHROMIUM, chromium, serve
from tests.metrics.conftest import CHENGGUAN, LANZHOU, QILIHE, VILLAGE_A, VILLAGE_C, organisation

PROVINCE = "620000000000"
TITLE = "规划指标看板 · Canlian"

# Each would set a global or the title if it ran as markup.
PROVINCE_NAME = "<img src=x onerror=\"document.title='PWNED';window.__pwned=1\">甘肃"
CITY_NAME = '"><script>window.__pwned=2</script>兰州'
COUNTY_NAME = "</script><svg onload=window.__pwned=3>城关"
OTHER_COUNTY = "\u202egnp.exe 七里河 'single' & \"double\" <b>bold</b>"
# Plans and indicators are named through the API, whose names are HumanText: markup and
# quotes pass (the page must show them as text), a bidi override is refused with 422.
PLAN_NAME = "<img src=x onerror=window.__pwned=4>十四五'\""
INDICATOR_NAME = '</h3><img src=x onerror="window.__pwned=5">覆盖率'

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def _dataset() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent_code"])
    writer.writerows(
        [
            [PROVINCE, PROVINCE_NAME, 1, ""],
            [LANZHOU, CITY_NAME, 2, PROVINCE],
            [CHENGGUAN, COUNTY_NAME, 3, LANZHOU],
            [QILIHE, OTHER_COUNTY, 3, LANZHOU],
            ["620102001000", "甲街道", 4, CHENGGUAN],
            ["620103001000", "乙街道", 4, QILIHE],
            [VILLAGE_A, "一社区", 5, "620102001000"],
            [VILLAGE_C, "三社区", 5, "620103001000"],
        ]
    )
    return buffer.getvalue()


async def _populate(settings: MetricsSettings, dataset: Path) -> None:
    await load_divisions(settings, read_dataset(dataset, None))
    await define_seed_plans(settings)
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            at = datetime(2013, 3, 1, tzinfo=UTC)
            await rollup_events(
                session,
                [
                    CloudEvent.wrap(organisation("a1"), source="/t").model_copy(
                        update={"time": at}
                    ),
                    CloudEvent.wrap(organisation("a2", division=VILLAGE_C), source="/t"),
                ],
            )
    finally:
        await database.dispose()


def _hostile_plan_and_indicator(base: str, admin: dict[str, str]) -> None:
    counters = httpx.get(f"{base}/v1/counters", headers=admin).json()["items"]
    indicator = httpx.post(
        f"{base}/v1/indicators",
        headers=admin,
        json={
            "code": "hostile-coverage",
            "name_zh": INDICATOR_NAME,
            "name_en": INDICATOR_NAME,
            "kind": "derived",
            "unit": "count",
            "numerator": counters[0]["counter"],
        },
    )
    assert indicator.status_code == 201, indicator.text
    plan = httpx.post(
        f"{base}/v1/plans",
        headers=admin,
        json={
            "code": "hostile-plan",
            "name": PLAN_NAME,
            "region": PROVINCE,
            "start_year": 2090,
            "end_year": 2095,
            "midterm_year": 2092,
        },
    )
    assert plan.status_code == 201, plan.text
    targets = httpx.put(
        f"{base}/v1/plans/hostile-plan/targets",
        headers=admin,
        json={
            "targets": [
                {
                    "indicator": "hostile-coverage",
                    "region": PROVINCE,
                    "comparator": "ge",
                    "final_value": 5,
                }
            ]
        },
    )
    assert targets.status_code == 200, targets.text


@pytest.fixture
def dashboard(embedded_settings: PlatformSettings, tmp_path: Path) -> Iterator[str]:
    settings = MetricsSettings(**{**embedded_settings.model_dump(), "canlian_run_workers": False})
    dataset = tmp_path / "divisions.csv"
    dataset.write_text(_dataset(), encoding="utf-8")
    asyncio.run(_populate(settings, dataset))
    with serve(create_app(settings, run_consumer=False)) as base:
        admin = auth.issue_token(
            embedded_settings, subject="registry-admin", roles=[auth.ADMIN], region=PROVINCE
        )
        _hostile_plan_and_indicator(base, {"Authorization": f"Bearer {admin}"})
        yield base


def _text(page: Any, selector: str) -> str:
    return str(page.evaluate(f"document.querySelector({selector!r}).textContent"))


def test_hostile_names_render_as_text_and_run_no_script(
    dashboard: str, embedded_settings: PlatformSettings
) -> None:
    served = httpx.get(f"{dashboard}/dashboard")
    assert served.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    token = auth.issue_token(
        embedded_settings, subject="gansu-official", roles=[auth.OFFICIAL], region="62"
    )
    with chromium() as open_page:
        page = open_page(f"{dashboard}/dashboard#token={token}")
        page.wait_for("document.querySelectorAll('#cards article').length > 0")
        page.wait_for("document.querySelector('#children').options.length > 1")
        # One level down: the province becomes a link, the city the current crumb.
        page.evaluate(f"goTo({LANZHOU!r})")
        page.wait_for("document.querySelector('#breadcrumb strong') !== null")
        page.wait_for(
            "document.querySelector('#children').options.length > 2 && "
            "document.querySelectorAll('#cards article').length > 0"
        )
        page.wait_for("document.querySelector('#bar-title').textContent.includes('覆盖率')")
        # The province's page satisfies the waits above too: wait for the city's own summary.
        page.wait_for(
            f"document.querySelector('#summary').textContent.startsWith({json.dumps(CITY_NAME)})"
        )

        # Nothing ran, nothing was injected, nothing was refused.
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.title") == TITLE
        assert page.evaluate("document.querySelectorAll('img, svg, b, iframe').length") == 0
        assert page.evaluate("document.scripts.length") == 2
        assert page.evaluate("window.__cspViolations") == []
        assert page.console_errors() == []

        # Every name shows literally where the page shows it.
        crumbs = _text(page, "#breadcrumb")
        assert PROVINCE_NAME in crumbs
        assert CITY_NAME in crumbs
        assert page.evaluate("document.querySelector('#breadcrumb a').dataset.code") == PROVINCE
        options = page.evaluate("[...document.querySelector('#children').options].map(o => o.text)")
        assert COUNTY_NAME in options
        assert OTHER_COUNTY in options
        plans = page.evaluate("[...document.querySelector('#plan').options].map(o => o.text)")
        assert f"{PLAN_NAME}(2090–2095)" in plans
        assert page.evaluate("document.querySelector('#plan').value") == "hostile-plan"
        cards = page.evaluate("[...document.querySelectorAll('#cards h3')].map(h => h.textContent)")
        assert INDICATOR_NAME in cards
        assert INDICATOR_NAME in _text(page, "#bar-title")
        assert INDICATOR_NAME in _text(page, "#trend-title")
        assert _text(page, "#summary").startswith(CITY_NAME)
