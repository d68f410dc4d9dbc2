"""What the app factory does for every service beyond routes: the garbage collector and
FastAPI's OpenTelemetry bridge."""

import gc
import os
from pathlib import Path

import pytest

from canlian.common import app_factory, garbage_collector
from canlian.common.settings import PlatformSettings
from canlian.testing.probe.app import create_app


async def test_a_started_service_tunes_the_garbage_collector_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    freezes: list[None] = []
    thresholds: list[tuple[int, ...]] = []
    monkeypatch.setattr(garbage_collector, "_tuned", False)
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(None))
    monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
    monkeypatch.setattr(gc, "set_threshold", lambda *values: thresholds.append(values))
    for name in ("first", "second"):
        app = create_app(PlatformSettings(canlian_data_dir=tmp_path / name))
        async with app.router.lifespan_context(app):
            pass
    assert len(freezes) == 1
    assert thresholds == [(10_000, 10, 10)]


def test_fastapi_telemetry_is_off_unless_the_environment_configures_opentelemetry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in list(os.environ):
        if name.startswith("OTEL_") or name == "FASTAPI_OTEL_AUTO_CONFIGURE":
            monkeypatch.delenv(name)
    assert app_factory._telemetry() == {"tracing": False, "metrics": False, "logs": False}
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    assert app_factory._telemetry() is None
