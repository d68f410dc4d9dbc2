"""The throwaway servers really start, answer, and come back after a halt."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from canlian.testing.kafka import KafkaServer
from canlian.testing.postgres import PostgresServer


async def _fetchval(url: str, query: str) -> object:
    """Run ``query`` on a fresh connection (SQLAlchemy over asyncpg), return its one value."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(query))
            return result.scalar_one() if result.returns_rows else None
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_postgres_answers_and_survives_halt_and_kill() -> None:
    server = PostgresServer()
    # The server API is blocking; keep it off the event loop.
    await asyncio.to_thread(server.start)
    try:
        assert server.url.startswith(f"postgresql+asyncpg://postgres@127.0.0.1:{server.port}/")
        assert server.dsn == f"postgresql://postgres@127.0.0.1:{server.port}/canlian"
        assert await _fetchval(server.url, "select 1") == 1
        await _fetchval(server.url, "create table t as select 42 as v")
        port, base_dir = server.port, server.base_dir

        await asyncio.to_thread(server.halt)
        assert not server.running
        with pytest.raises(ConnectionRefusedError):
            await _fetchval(server.url, "select 1")
        await asyncio.to_thread(server.start)
        assert (server.port, server.base_dir) == (port, base_dir)
        assert await _fetchval(server.url, "select 1") == 1
        assert await _fetchval(server.url, "select v from t") == 42

        # A crash (SIGKILL) then start() runs recovery on the same data dir.
        await asyncio.to_thread(server.kill)
        await asyncio.to_thread(server.start)
        assert await _fetchval(server.url, "select count(*) from t") == 1
    finally:
        await asyncio.to_thread(server.stop)
    assert base_dir is not None
    assert not base_dir.exists()


async def _consume(bootstrap: str, topic: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"g-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    got: list[bytes] = []
    try:
        deadline = time.monotonic() + 60
        while len(got) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                got.extend(record.value for record in records)
    finally:
        await consumer.stop()
    return got


@pytest.mark.kafka
async def test_kafka_round_trip_survives_halt() -> None:
    server = KafkaServer()
    await asyncio.to_thread(server.start)
    try:
        bootstrap = server.bootstrap_servers
        assert bootstrap == f"127.0.0.1:{server.port}"
        topic = f"t-{uuid.uuid4().hex[:8]}"  # auto-created on first produce

        producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"before")
        finally:
            await producer.stop()
        assert await _consume(bootstrap, topic, 1) == [b"before"]

        await asyncio.to_thread(server.halt)
        assert not server.running
        await asyncio.to_thread(server.start)
        assert server.bootstrap_servers == bootstrap

        producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"after")
        finally:
            await producer.stop()
        # A fresh group reads from the start: the message from before the halt was kept.
        assert sorted(await _consume(bootstrap, topic, 2)) == [b"after", b"before"]
    finally:
        await asyncio.to_thread(server.stop)


@pytest.mark.postgres
async def test_postgres_collates_as_production_does(postgres_url: str) -> None:
    """A UTF-8 locale, not C: a prefix LIKE cannot use a plain b-tree index, as in
    production (an index for it needs text_pattern_ops or COLLATE "C")."""
    collation = await _fetchval(
        postgres_url, "SELECT datcollate FROM pg_database WHERE datname = current_database()"
    )
    assert str(collation).replace("utf8", "UTF-8") in ("en_US.UTF-8", "C.UTF-8")
    engine = create_async_engine(postgres_url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TEMP TABLE codes (code text)"))
            await conn.execute(
                text(
                    "INSERT INTO codes SELECT lpad(g::text, 12, '6')"
                    " FROM generate_series(1, 5000) g"
                )
            )
            await conn.execute(text("CREATE INDEX plain ON codes (code)"))
            await conn.execute(text("CREATE INDEX pattern ON codes (code text_pattern_ops)"))
            await conn.execute(text("ANALYZE codes"))
            await conn.execute(text("SET enable_seqscan = off"))
            plan = " ".join(
                (await conn.execute(text("EXPLAIN SELECT * FROM codes WHERE code LIKE '6201%'")))
                .scalars()
                .all()
            )
            await conn.execute(text("DROP INDEX pattern"))
            without = " ".join(
                (await conn.execute(text("EXPLAIN SELECT * FROM codes WHERE code LIKE '6201%'")))
                .scalars()
                .all()
            )
    finally:
        await engine.dispose()
    # text_pattern_ops turns the prefix into an index range; the plain index can at best be
    # read whole with the LIKE as a filter.
    assert "Index Cond: ((code ~>=~ '6201'::text) AND (code ~<~ '6202'::text))" in plan
    assert "Index Cond" not in without
