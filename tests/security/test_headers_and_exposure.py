"""Class 15, kit part (headers and exposure): secure headers on every response, no-store on
API responses, no server banner, /metrics behind a token, the API docs served locally and
working under the CSP, embedded SQLite files readable by their owner only."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.db.database import Database
from canlian.common.messaging.embedded_log import EmbeddedLogPublisher
from canlian.common.settings import PlatformSettings
from canlian.common.web_security import CONTENT_SECURITY_POLICY, UVICORN_FLAGS
from canlian.testing.browser import CHROMIUM, chromium, serve
from canlian.testing.services import api_client, bearer

from .conftest import build_app


async def test_every_response_carries_the_secure_headers(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    for response in (
        await client.get("/v1/probes", headers=official),
        await client.get("/v1/probes"),  # a 401 problem
        await client.get("/healthz"),
        await client.get("/docs"),
    ):
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        assert "server" not in response.headers
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'"):
        assert directive in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


async def test_static_assets_may_be_cached_but_are_still_nosniff(
    client: httpx.AsyncClient,
) -> None:
    script = await client.get("/docs/static/docs.js")
    assert script.status_code == 200
    assert script.headers["Cache-Control"] == "no-cache"
    assert script.headers["X-Content-Type-Options"] == "nosniff"


def test_services_are_started_without_the_server_banner(
    embedded_settings: PlatformSettings,
) -> None:
    assert "--no-server-header" in UVICORN_FLAGS
    with serve(build_app(embedded_settings)) as base:
        assert "server" not in httpx.get(f"{base}/healthz").headers


async def test_metrics_need_a_token(
    security_app: FastAPI, postgres_settings: PlatformSettings
) -> None:
    async with api_client(security_app) as client:
        anonymous = await client.get("/metrics")
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
        official = bearer(postgres_settings, roles=[auth.OFFICIAL], region="62")
        assert (await client.get("/metrics", headers=official)).status_code == 403
        admin = bearer(postgres_settings, roles=[auth.ADMIN])
        scraped = await client.get("/metrics", headers=admin)
        assert scraped.status_code == 200
        assert "canlian_http_requests_total" in scraped.text
        scraper = bearer(postgres_settings, roles=[], scopes=["metrics:read"])
        assert (await client.get("/metrics", headers=scraper)).status_code == 200
    static = build_app(
        PlatformSettings(**{**postgres_settings.model_dump(), "canlian_metrics_token": "p" * 32})
    )
    async with api_client(static) as client:
        good = await client.get("/metrics", headers={"Authorization": f"Bearer {'p' * 32}"})
        assert good.status_code == 200
        bad = await client.get("/metrics", headers={"Authorization": f"Bearer {'q' * 32}"})
        assert bad.status_code == 401


async def test_the_api_docs_are_served_from_the_service(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert "<script>" not in page.text  # no inline script
    assert '<script src="/docs/static/swagger-ui/swagger-ui-bundle.js">' in page.text
    bundle = await client.get("/docs/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.content) > 1_000_000
    assert (await client.get("/docs/static/swagger-ui/swagger-ui.css")).status_code == 200
    assert (await client.get("/redoc")).status_code == 404


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_the_api_docs_work_under_the_csp(embedded_settings: PlatformSettings) -> None:
    with serve(build_app(embedded_settings)) as base, chromium() as open_page:
        page = open_page(f"{base}/docs")
        title = page.wait_for("document.querySelector('.swagger-ui .info .title')?.textContent")
        assert "探针" in title
        page.wait_for("document.querySelectorAll('.opblock').length > 3")
        assert page.evaluate("window.__cspViolations") == []
        assert page.console_errors() == []
        origins = page.evaluate(
            "[...new Set(performance.getEntriesByType('resource')"
            ".map(e => new URL(e.name).origin))]"
        )
        assert origins == [base]


async def test_embedded_sqlite_files_are_private(tmp_path: Path) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path / "data")
    database = Database(settings, "probe")
    log = EmbeddedLogPublisher(settings.event_log_path)
    try:
        await database.ping()
        await log.start()
    finally:
        await log.stop()
        await database.dispose()
    files = [settings.sqlite_path("probe"), settings.event_log_path]
    files += [path for path in settings.data_dir.iterdir() if path.name.endswith(("-wal", "-shm"))]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700
