"""Class 2, services part: the look-ups of the cards service (`/v1/persons/lookup`) and of
the members service (`/v1/members/lookup`) are limited per principal with the shared limiter
(429 with Retry-After), audited one by one (found or not), and their misses counted: a burst
is a security event, logged and on /metrics."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import select

from canlian.common import auth, citizen_id
from canlian.common.rate_limit import LOOKUP_MISSES, LOOKUPS
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, runtime_of

pytestmark = pytest.mark.postgres

COUNTY = "620102000000"  # 兰州市城关区
VILLAGE = "620102003004"


def _citizen_id(sequence: int) -> str:
    first17 = f"62010219800101{sequence:03d}"
    return first17 + citizen_id.check_digit(first17)


@dataclass(frozen=True)
class Service:
    name: str
    lookup: str
    object_type: str
    app: FastAPI
    client: httpx.AsyncClient

    async def register(
        self, client: httpx.AsyncClient, headers: dict[str, str], number: str
    ) -> str:
        if self.name == "cards":
            body = {"citizen_id": number, "name": "张三", "residence_division_code": VILLAGE}
            response = await client.post("/v1/persons", json=body, headers=headers)
        else:
            body = {
                "kind": "federation_staff",
                "division_code": VILLAGE,
                "name": "张三",
                "citizen_id": number,
                "disability_relation": "none",
            }
            response = await client.post("/v1/members", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


LOOKUPS_OF = {
    "cards": ("/v1/persons/lookup", "cards.person"),
    "members": ("/v1/members/lookup", "member"),
}


@pytest.fixture(params=sorted(LOOKUPS_OF))
def service(request: pytest.FixtureRequest) -> Service:
    name: str = request.param
    path, object_type = LOOKUPS_OF[name]
    return Service(
        name,
        path,
        object_type,
        request.getfixturevalue(f"{name}_app"),
        request.getfixturevalue(f"{name}_client"),
    )


async def test_look_ups_are_limited_audited_and_bursts_of_misses_reported(
    service: Service,
    postgres_settings: PlatformSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = service.client
    subject = f"guesser-{uuid.uuid4().hex[:8]}"
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region=COUNTY, subject=subject)
    known = _citizen_id(1)
    record_id = await service.register(client, headers, known)
    labels = {"service": service.name, "event": "lookup-miss-burst"}
    before = REGISTRY.get_sample_value("canlian_security_events_total", labels) or 0
    caplog.set_level(logging.WARNING, logger="canlian.security")

    found = await client.post(service.lookup, json={"citizen_id": known}, headers=headers)
    assert found.status_code == 200
    assert str(found.json()["id"]) == record_id
    for sequence in range(2, LOOKUPS.hits + 1):
        guess = await client.post(
            service.lookup, json={"citizen_id": _citizen_id(sequence)}, headers=headers
        )
        assert guess.status_code == 404
    refused = await client.post(service.lookup, json={"citizen_id": known}, headers=headers)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= LOOKUPS.window_seconds
    assert refused.json()["type"].endswith("/rate-limited")
    # Another clerk is not held back by the guesser.
    other = bearer(postgres_settings, roles=[auth.OFFICIAL], region=COUNTY, subject=subject + "b")
    answered = await client.post(service.lookup, json={"citizen_id": known}, headers=other)
    assert answered.status_code == 200

    bursts = [r for r in caplog.records if getattr(r, "security_event", None)]
    assert [r.security_event for r in bursts] == ["lookup-miss-burst"]  # type: ignore[attr-defined]
    assert bursts[0].principal == subject  # type: ignore[attr-defined]
    after = REGISTRY.get_sample_value("canlian_security_events_total", labels) or 0
    assert after - before == 1
    assert LOOKUP_MISSES.hits < LOOKUPS.hits - 1

    runtime = runtime_of(service.app)
    table = runtime.tables.audit_log
    async with runtime.database.session() as session:
        rows = (
            await session.execute(
                select(table.c.action, table.c.object_type, table.c.object_id)
                .where(table.c.actor == subject)
                .order_by(table.c.id)
            )
        ).all()
    # One row per look-up answered (the refused one never looked); misses name no record.
    assert [tuple(row) for row in rows] == [
        ("personal-data.lookup", service.object_type, str(record_id)),
        *[("personal-data.lookup.miss", service.object_type, "-")] * (LOOKUPS.hits - 1),
    ]
    assert known not in str(rows)


async def test_a_record_outside_the_scope_is_a_miss(
    service: Service, postgres_settings: PlatformSettings
) -> None:
    client = service.client
    owner = bearer(postgres_settings, roles=[auth.OFFICIAL], region=COUNTY, subject="owner")
    known = _citizen_id(7)
    await service.register(client, owner, known)
    neighbour_subject = f"neighbour-{uuid.uuid4().hex[:8]}"
    neighbour = bearer(
        postgres_settings, roles=[auth.OFFICIAL], region="620103000000", subject=neighbour_subject
    )
    hidden = await client.post(service.lookup, json={"citizen_id": known}, headers=neighbour)
    assert hidden.status_code == 404
    runtime = runtime_of(service.app)
    table = runtime.tables.audit_log
    async with runtime.database.session() as session:
        actions = (
            await session.execute(
                select(table.c.action, table.c.object_id).where(table.c.actor == neighbour_subject)
            )
        ).all()
    assert [tuple(row) for row in actions] == [("personal-data.lookup.miss", "-")]
