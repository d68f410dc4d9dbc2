"""A service whose database and broker are unreachable starts, says so on /readyz with a 503
naming them, answers 503 problems (never a 500) and keeps retrying."""

import asyncio
import socket
from pathlib import Path

import pytest

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.testing.probe.app import create_app
from canlian.testing.services import api_client, bearer


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_readyz_names_what_is_down_and_routes_answer_503(tmp_path: Path) -> None:
    port = _closed_port()
    settings = PlatformSettings(
        database_url=f"postgresql+asyncpg://canlian@127.0.0.1:{port}/canlian",
        kafka_bootstrap_servers=f"127.0.0.1:{port}",
        canlian_data_dir=tmp_path,
        canlian_environment="development",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), api_client(app) as client:
        ready = await client.get("/readyz", headers={"Accept-Language": "en"})
        assert ready.status_code == 503
        problem = ready.json()
        assert set(problem["down"]) == {"database", "event-bus"}
        assert "database" in problem["detail"]
        assert ready.headers["Retry-After"]

        assert (await client.get("/healthz")).status_code == 200

        token = bearer(settings, roles=[auth.OFFICIAL], region="620000000000")
        response = await client.get("/v1/probes", headers=token)
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/service-unavailable")


async def test_embedded_default_is_ready_without_any_server(tmp_path: Path) -> None:
    app = create_app(PlatformSettings(canlian_data_dir=tmp_path))
    async with app.router.lifespan_context(app), api_client(app) as client:
        for _ in range(50):
            ready = await client.get("/readyz")
            if ready.status_code == 200:
                break
            await asyncio.sleep(0.1)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "event-bus": "ok"}
    assert (tmp_path / "probe.sqlite3").exists()
    assert (tmp_path / "event-log.sqlite3").exists()


@pytest.mark.kafka
@pytest.mark.postgres
async def test_a_service_started_before_its_broker_connects_when_the_broker_comes(
    postgres_settings: PlatformSettings, tmp_path: Path
) -> None:
    from canlian.testing.kafka import KafkaServer

    port = _closed_port()
    settings = postgres_settings.model_copy(
        update={"kafka_bootstrap_servers": f"127.0.0.1:{port}", "canlian_data_dir": tmp_path}
    )
    app = create_app(settings)
    broker = KafkaServer(port=port)
    try:
        async with app.router.lifespan_context(app), api_client(app) as client:
            down = await client.get("/readyz")
            assert down.status_code == 503
            assert down.json()["down"] == ["event-bus"]
            await asyncio.to_thread(broker.start)
            ready = None
            for _ in range(240):
                ready = await client.get("/readyz")
                if ready.status_code == 200:
                    break
                await asyncio.sleep(0.25)
            assert ready is not None
            assert ready.status_code == 200, ready.text
    finally:
        await asyncio.to_thread(broker.stop)
