"""Class 2, kit part (citizen IDs recoverable by guessing): what a masked ID shows cannot be
completed by enumeration; look-ups are limited per principal by a limiter that every replica
shares (in the database), 429 with Retry-After; bursts of misses are logged as security
events and counted; every look-up is audited."""

from __future__ import annotations

import calendar
import logging
import uuid
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import delete, func, select

from canlian.common import auth, citizen_id
from canlian.common.db.database import Database
from canlian.common.db.metadata import platform_tables
from canlian.common.personal_data import mask_citizen_id
from canlian.common.rate_limit import LOOKUP_MISSES, LOOKUPS, Limit, RateLimited, RateLimiter
from canlian.common.settings import PlatformSettings
from canlian.testing.probe.models import Base
from canlian.testing.services import api_client, bearer, runtime_of

PERSON = "62010219800715123X"


def _with_check(first17: str) -> str:
    return first17 + citizen_id.check_digit(first17)


def test_a_masked_id_cannot_be_completed_from_what_a_record_shows() -> None:
    """A record shows the village (digits 1-6), the birth year (7-10) and the sex (parity of
    digit 17) beside the masked ID: count the numbers consistent with all of it."""
    person = _with_check(PERSON[:17])
    shown = mask_citizen_id(person)
    assert shown == "62" + "*" * 16
    year = int(person[6:10])
    parity = int(person[16]) % 2
    candidates = 0
    for month in range(1, 13):
        for day in range(1, calendar.monthrange(year, month)[1] + 1):
            born = date(year, month, day).strftime("%Y%m%d")
            for sequence in range(100):
                for sex_digit in range(parity, 10, 2):
                    number = _with_check(f"{person[:6]}{born}{sequence:02d}{sex_digit}")
                    if mask_citizen_id(number) == shown:
                        candidates += 1
    # The old mask (first 3, last 4) left ~33 candidates: a full ID in under 200 guesses.
    assert candidates > 100_000


def test_a_card_number_keeps_only_its_category_and_grade() -> None:
    card = _with_check(PERSON[:17]) + "13"
    assert mask_citizen_id(card) == "62" + "*" * 16 + "13"


async def test_look_ups_are_limited_with_429_and_retry_after(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings, caplog: pytest.LogCaptureFixture
) -> None:
    subject = f"guesser-{uuid.uuid4().hex[:8]}"
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region="62", subject=subject)
    before = REGISTRY.get_sample_value(
        "canlian_security_events_total", {"service": "probe", "event": "lookup-miss-burst"}
    )
    caplog.set_level(logging.WARNING, logger="canlian.security")
    for _ in range(LOOKUPS.hits):
        answered = await client.post("/v1/lookups", json={"citizen_id": "x"}, headers=headers)
        assert answered.status_code == 200
    refused = await client.post("/v1/lookups", json={"citizen_id": "x"}, headers=headers)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= LOOKUPS.window_seconds
    problem = refused.json()
    assert problem["type"].endswith("/rate-limited")
    assert problem["title"] == "请求过于频繁"
    english = await client.post(
        "/v1/lookups", json={"citizen_id": "x"}, headers={**headers, "Accept-Language": "en"}
    )
    assert english.json()["title"] == "Too many requests"
    # Someone else is not held back by the guesser.
    other = bearer(postgres_settings, roles=[auth.OFFICIAL], region="62", subject=subject + "-b")
    assert (
        await client.post("/v1/lookups", json={"citizen_id": "x"}, headers=other)
    ).status_code == 200
    # The burst of misses: one security event, logged and counted.
    bursts = [r for r in caplog.records if getattr(r, "security_event", None)]
    assert [r.security_event for r in bursts] == ["lookup-miss-burst"]  # type: ignore[attr-defined]
    assert bursts[0].principal == subject  # type: ignore[attr-defined]
    after = REGISTRY.get_sample_value(
        "canlian_security_events_total", {"service": "probe", "event": "lookup-miss-burst"}
    )
    assert (after or 0) - (before or 0) == 1
    assert LOOKUP_MISSES.hits < LOOKUPS.hits


async def test_every_look_up_is_audited(
    client: httpx.AsyncClient, security_app: FastAPI, postgres_settings: PlatformSettings
) -> None:
    subject = f"auditee-{uuid.uuid4().hex[:8]}"
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region="62", subject=subject)
    for _ in range(3):
        await client.post("/v1/lookups", json={"citizen_id": "x"}, headers=headers)
    runtime = runtime_of(security_app)
    table = runtime.tables.audit_log
    async with runtime.database.session() as session:
        actions = (
            await session.execute(select(table.c.action).where(table.c.actor == subject))
        ).scalars()
        assert list(actions) == ["personal-data.lookup.miss"] * 3


async def test_the_limit_is_shared_by_replicas(postgres_settings: PlatformSettings) -> None:
    subject = f"replicas-{uuid.uuid4().hex[:8]}"
    principal = auth.Principal(subject, frozenset({auth.OFFICIAL}), "620000000000")
    limit = Limit("verification", hits=5, window_seconds=600)
    tables = platform_tables(Base.metadata)
    replicas = [Database(postgres_settings, "probe") for _ in range(2)]
    limiters = [RateLimiter(database, tables, service="probe") for database in replicas]
    try:
        for limiter in (limiters[0], limiters[1], limiters[0], limiters[1], limiters[0]):
            await limiter.hit(principal, limit)
        with pytest.raises(RateLimited) as refused:
            await limiters[1].hit(principal, limit)
        assert refused.value.headers()["Retry-After"].isdigit()
        async with replicas[0].session() as session:
            stored = await session.execute(
                select(func.sum(tables.rate_limits.c.hits)).where(
                    tables.rate_limits.c.bucket.like("verification:%")
                )
            )
            assert (stored.scalar() or 0) >= 6
    finally:
        async with replicas[0].session() as session:
            await session.execute(delete(tables.rate_limits))
        for database in replicas:
            await database.dispose()


async def test_the_limiter_works_on_the_embedded_database(
    embedded_app: FastAPI, embedded_settings: PlatformSettings
) -> None:
    headers = bearer(embedded_settings, roles=[auth.OFFICIAL], region="62", subject="local")
    async with api_client(embedded_app) as client:
        codes = [
            (
                await client.post("/v1/lookups", json={"citizen_id": "x"}, headers=headers)
            ).status_code
            for _ in range(LOOKUPS.hits + 1)
        ]
    assert codes == [200] * LOOKUPS.hits + [429]
