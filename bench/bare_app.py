"""The API ceiling: a bare FastAPI app over asyncpg doing one query per request, with none of
Canlian's auth, validation, problem handling, outbox or ORM.

A write inserts a row; a read looks one region up by primary key in a small table of its own,
so that the read ceiling does not depend on how many rows the write ceiling inserted before it
(at wrk's rates, a count over the write table would become a scan of 100,000 rows)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI


def create_app() -> FastAPI:
    dsn = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    pool: asyncpg.Pool | None = None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        nonlocal pool
        pool = await asyncpg.create_pool(dsn, min_size=10, max_size=10)
        await pool.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, region text, n int);"
            "CREATE TABLE IF NOT EXISTS bench_bare_regions (region text PRIMARY KEY, n int);"
            "INSERT INTO bench_bare_regions SELECT '62' || lpad(i::text, 4, '0'), i"
            " FROM generate_series(0, 99) AS i ON CONFLICT DO NOTHING"
        )
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/read/{region}")
    async def read(region: str) -> dict[str, object]:
        assert pool is not None
        n = await pool.fetchval("SELECT n FROM bench_bare_regions WHERE region = $1", region)
        return {"region": region, "n": n}

    @app.post("/write/{region}", status_code=201)
    async def write(region: str) -> dict[str, object]:
        assert pool is not None
        new_id = await pool.fetchval(
            "INSERT INTO bench_bare (region, n) VALUES ($1, 1) RETURNING id", region
        )
        return {"id": new_id}

    return app
