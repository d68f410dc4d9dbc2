"""Done-when walkthrough of issue #3 against a real database with the divisions loaded.

An official of one county registers the county federation, every township's federation and
one association per village through the HTTP API (in process), asks which villages are
still uncovered, then prints timings and the events waiting in the outbox.

    DATABASE_URL=postgresql+asyncpg://... canlian divisions load --province 62
    DATABASE_URL=postgresql+asyncpg://... uv run python \
        services/org-registry/scripts/county_walkthrough.py 620421

With KAFKA_BOOTSTRAP_SERVERS set it then publishes the outbox and reads the events back
from the topic. It commits what it registers; run it on a scratch database.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import select

from canlian.common import auth
from canlian.common.db.metadata import platform_tables
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import TOPIC
from canlian.common.messaging.bus import make_subscriber
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.runtime import DOMAIN_TOPICS
from canlian.common.settings import load_settings
from canlian.org_registry.app import create_app
from canlian.org_registry.models import Base
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import api_client, bearer, runtime_of


async def _all(client: httpx.AsyncClient, url: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        response = await client.get(url, params=query)
        response.raise_for_status()
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def main(county: str) -> None:
    settings = load_settings(OrgRegistrySettings)
    app = create_app(settings)
    county = county.ljust(12, "0")
    headers = bearer(settings, roles=[auth.OFFICIAL], region=county, subject="walkthrough")
    timings: dict[str, list[float]] = {}

    async def post(client: httpx.AsyncClient, what: str, body: dict[str, Any]) -> Any:
        started = time.perf_counter()
        response = await client.post("/v1/organisations", json=body)
        timings.setdefault(what, []).append(time.perf_counter() - started)
        if response.status_code != 201:
            raise SystemExit(f"{what}: {response.status_code} {response.text}")
        return response.json()

    async with api_client(app, headers) as client:
        info = (await client.get(f"/v1/divisions/{county}")).json()
        await post(
            client,
            "county",
            {"name": f"{info['name']}残疾人联合会", "kind": "federation", "division_code": county},
        )
        townships = await _all(client, f"/v1/divisions/{county}/children")
        villages: list[dict[str, Any]] = []
        for township in townships:
            await post(
                client,
                "township",
                {
                    "name": f"{township['name']}残疾人联合会",
                    "kind": "federation",
                    "division_code": township["code"],
                },
            )
            villages += await _all(client, f"/v1/divisions/{township['code']}/children")
        before = (await client.get("/v1/reports/coverage", params={"division": county})).json()
        for village in villages[:-1]:  # leave one uncovered, to be found
            await post(
                client,
                "association",
                {
                    "name": f"{village['name']}残协",
                    "kind": "association",
                    "division_code": village["code"],
                },
            )
        started = time.perf_counter()
        uncovered = await _all(client, "/v1/reports/uncovered-villages", division=county)
        asked = time.perf_counter() - started
        after = (await client.get("/v1/reports/coverage", params={"division": county})).json()
    outbox = platform_tables(Base.metadata).outbox
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        types = Counter((await session.scalars(select(outbox.c.event_type))).all())
    on_the_bus: Counter[str] = Counter()
    if settings.kafka_bootstrap_servers:
        await ensure_topics(
            settings.kafka_bootstrap_servers, DOMAIN_TOPICS, settings.kafka_topic_partitions
        )
        await runtime.publisher.start()
        published = 0
        while batch := await runtime.relay.publish_pending():
            published += batch
        await runtime.publisher.stop()
        subscriber = make_subscriber(settings, f"walkthrough-{uuid.uuid4()}", [TOPIC])
        await subscriber.start()
        deadline = time.monotonic() + 60
        while sum(on_the_bus.values()) < published and time.monotonic() < deadline:
            for message in await subscriber.poll(2000, 0.5):
                on_the_bus[CloudEvent.model_validate_json(message.value).type] += 1
        await subscriber.stop()
    await runtime.database.dispose()

    print(f"county {county} {info['name']}: {len(townships)} townships, {len(villages)} villages")
    for what, values in timings.items():
        values.sort()
        median = values[len(values) // 2] * 1000
        print(
            f"  POST {what:<11} n={len(values):>4}  median {median:6.1f} ms"
            f"  max {values[-1] * 1000:6.1f} ms"
        )
    print(
        f"  coverage before {before['covered']}/{before['villages']}, "
        f"after {after['covered']}/{after['villages']} ({after['coverage_rate']:.2%})"
    )
    print(
        f"  uncovered villages: {[v['code'] + ' ' + v['name'] for v in uncovered]} "
        f"(asked in {asked * 1000:.1f} ms)"
    )
    print(f"  outbox: {dict(types)}")
    if on_the_bus:
        print(f"  read back from Kafka topic {TOPIC}: {dict(on_the_bus)}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "620421"))
