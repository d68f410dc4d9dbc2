"""A closed-loop HTTP load generator: N clients, each sending its next request when the last
answered; latencies per request, throughput over the whole run."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

RequestFactory = Callable[[int], tuple[str, str, dict[str, Any]]]  # -> method, path, kwargs


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(int(q * len(ordered)), len(ordered) - 1)]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


async def run_load(
    base_url: str,
    make_request: RequestFactory,
    *,
    clients: int = 32,
    total: int = 4000,
    warmup: int = 200,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=30.0
    ) as client:
        counter = iter(range(10**9))

        async def one(record: list[float] | None, errors: list[int]) -> None:
            method, path, kwargs = make_request(next(counter))
            started = time.perf_counter()
            response = await client.request(method, path, **kwargs)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code >= 400:
                errors.append(response.status_code)
            if record is not None:
                record.append(elapsed)

        async def worker(quota: int, record: list[float] | None, errors: list[int]) -> None:
            for _ in range(quota):
                await one(record, errors)

        warm_errors: list[int] = []
        await asyncio.gather(
            *(worker(warmup // clients, None, warm_errors) for _ in range(clients))
        )
        latencies: list[float] = []
        errors: list[int] = []
        started = time.perf_counter()
        await asyncio.gather(*(worker(total // clients, latencies, errors) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return LoadResult(len(latencies), len(errors), seconds, latencies)
