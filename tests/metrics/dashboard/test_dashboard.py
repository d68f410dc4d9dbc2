"""The dashboard in real headless Chromium (Debian's chromium), served by the metrics service
on the embedded default; skipped only when chromium is not installed."""

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from canlian.common import auth
from canlian.common.db.database import Database
from canlian.common.events.base import CloudEvent
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app
from canlian.metrics.cli.divisions import load_divisions
from canlian.metrics.cli.seed_plans import define_seed_plans
from canlian.metrics.divisions.dataset import read_dataset
from canlian.metrics.rollups.consumer import rollup_events
from canlian.metrics.settings import MetricsSettings
from canlian.testing.browser import serve

from ..conftest import CHENGGUAN, LANZHOU, QILIHE, VILLAGE_A, VILLAGE_C, organisation

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DATASET = "\n".join(
    [
        "code,name,level,parent_code",
        "620000000000,甘肃省,1,",
        f"{LANZHOU},兰州市,2,620000000000",
        f"{CHENGGUAN},城关区,3,{LANZHOU}",
        f"{QILIHE},七里河区,3,{LANZHOU}",
        f"620102001000,甲街道,4,{CHENGGUAN}",
        f"620103001000,乙街道,4,{QILIHE}",
        f"{VILLAGE_A},一社区,5,620102001000",
        f"{VILLAGE_C},三社区,5,620103001000",
        "620103001002,四社区,5,620103001000",
    ]
)


async def populate(settings: MetricsSettings, dataset: Path) -> None:
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


@pytest.fixture
def server(embedded_settings: PlatformSettings, tmp_path: Path) -> Iterator[str]:
    settings = MetricsSettings(**{**embedded_settings.model_dump(), "canlian_run_workers": False})
    dataset = tmp_path / "divisions.csv"
    dataset.write_text(DATASET + "\n", encoding="utf-8")
    asyncio.run(populate(settings, dataset))
    with serve(create_app(settings, run_consumer=False)) as base:
        yield base


def test_the_dashboard_page_and_echarts_are_served_locally(server: str) -> None:
    page = httpx.get(f"{server}/dashboard")
    assert page.status_code == 200
    assert '<script src="/dashboard/static/echarts.min.js">' in page.text
    assert "cdn" not in page.text.lower()
    script = httpx.get(f"{server}/dashboard/static/echarts.min.js")
    assert script.status_code == 200
    assert len(script.content) > 500_000


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_dashboard_in_headless_chromium(
    server: str, embedded_settings: PlatformSettings, tmp_path: Path
) -> None:
    assert CHROMIUM is not None
    token = auth.issue_token(
        embedded_settings, subject="lanzhou", roles=[auth.OFFICIAL], region=LANZHOU
    )
    url = f"{server}/dashboard#token={token}"
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=1400,1100",
        "--virtual-time-budget=15000",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    # The page ran: breadcrumb, children in the picker, cards with status, charts drawn.
    assert "<strong>兰州市</strong>" in dom
    assert ">七里河区</option>" in dom
    assert "村(社区)残协覆盖率" in dom
    assert 'class="badge behind"' in dom
    assert "目标 ≥100%" in dom
    assert dom.count("<canvas") >= 2
    assert "兰州市:达标" in dom
    screenshot = tmp_path / "metrics-dashboard.png"
    subprocess.run(
        [*flags, f"--screenshot={screenshot}", url], capture_output=True, timeout=120, check=True
    )
    assert screenshot.stat().st_size > 10_000
    kept = Path(".canlian/test-artifacts")
    kept.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot, kept / "metrics-dashboard.png")
    print(f"\nscreenshot: {(kept / 'metrics-dashboard.png').resolve()}")
