from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from canlian.common.messaging.bus import make_subscriber
from canlian.common.messaging.transport import Subscriber
from canlian.common.runtime import ServiceRuntime
from canlian.common.settings import PlatformSettings
from canlian.testing.probe.app import create_app, service_descriptor
from canlian.testing.probe.events import TOPIC
from canlian.testing.probe.models import Tally
from canlian.testing.services import rebuild_schema, runtime_of


@dataclass
class Backbone:
    """A probe service wired to one transport, with nothing running in the background."""

    name: str
    settings: PlatformSettings
    runtime: ServiceRuntime

    def subscriber(self, group: str) -> Subscriber:
        return make_subscriber(self.settings, group, [TOPIC])


async def _clean(runtime: ServiceRuntime) -> None:
    tables = runtime.tables
    async with runtime.database.session() as session:
        for table in (tables.outbox, tables.inbox):
            await session.execute(delete(table))
        await session.execute(delete(Tally))


@pytest.fixture(params=["kafka", "embedded"])
async def backbone(request: pytest.FixtureRequest, tmp_path: object) -> AsyncIterator[Backbone]:
    if request.param == "kafka":
        bootstrap: str = request.getfixturevalue("kafka_bootstrap")
        base: PlatformSettings = request.getfixturevalue("postgres_settings")
        settings = base.model_copy(update={"kafka_bootstrap_servers": bootstrap})
    else:
        settings = PlatformSettings(canlian_data_dir=tmp_path)
    await rebuild_schema(service_descriptor, settings)
    app: FastAPI = create_app(settings)
    runtime = runtime_of(app)
    await _clean(runtime)
    await runtime.publisher.start()
    try:
        yield Backbone(request.param, settings, runtime)
    finally:
        await runtime.publisher.stop()
        await runtime.database.dispose()
