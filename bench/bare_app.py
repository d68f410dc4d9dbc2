"""The API ceiling: a bare FastAPI app over asyncpg doing one query per request, with none of
Canlian's auth, validation, problem handling, outbox or ORM."""

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
            "CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, region text, n int)"
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
        count = await pool.fetchval("SELECT count(*) FROM bench_bare WHERE region = $1", region)
        return {"region": region, "count": count}

    @app.post("/write/{region}", status_code=201)
    async def write(region: str) -> dict[str, object]:
        assert pool is not None
        new_id = await pool.fetchval(
            "INSERT INTO bench_bare (region, n) VALUES ($1, 1) RETURNING id", region
        )
        return {"id": new_id}

    return app
