"""A rate limiter shared by every replica of a service, kept in the service's own database.

Look-ups and verifications answer found / not found per guess; a caller must not be able to
guess faster than a person types. Each principal (issuer and subject of its token) has a
fixed-window counter per limit in the platform table `rate_limits` (PostgreSQL, or SQLite in
embedded mode: no new server). A call over the limit is refused with 429 and `Retry-After`.

Misses (a look-up that found nothing) are counted apart: a burst of them is what guessing
looks like, and it is logged as a `security` event and counted on `/metrics`
(`canlian_security_events_total`).

    await limiter.hit(principal, LOOKUPS)            # before the look-up: 429 when over
    ...
    if not found:
        await limiter.miss(principal, LOOKUP_MISSES)  # after it: logs and counts bursts

Counts are written in their own unit of work, so that they hold even when the request fails.
Pass the request's session as well (`session=`): on SQLite (embedded mode, one writer at a
time) a second unit of work would wait for the request's own, so there the count joins the
request's transaction instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import Counter
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.database import Database
from canlian.common.db.dialect import upsert_adding
from canlian.common.db.metadata import PlatformTables
from canlian.common.errors import ProblemError
from canlian.common.i18n import Message

security_log = logging.getLogger("canlian.security")

SECURITY_EVENTS = Counter(
    "canlian_security_events_total", "Security events (e.g. bursts of look-up misses)",
    ["service", "event"],
)  # fmt: skip


@dataclass(frozen=True)
class Limit:
    """At most `hits` calls of kind `name` per principal in any `window_seconds` window."""

    name: str
    hits: int
    window_seconds: int


# Defaults for the endpoints that answer found / not found about a person.
LOOKUPS = Limit("lookup", hits=30, window_seconds=600)
VERIFICATIONS = Limit("verification", hits=120, window_seconds=600)
LOOKUP_MISSES = Limit("lookup-miss", hits=10, window_seconds=600)


class RateLimited(ProblemError):
    status = 429
    code = "rate-limited"
    title = Message(zh="请求过于频繁", en="Too many requests")
    detail = Message(
        zh="{what}次数已达上限({hits} 次 / {minutes} 分钟),请在 {retry_after} 秒后重试",
        en="Limit of {hits} {what_en} per {minutes} minutes reached; retry in {retry_after} s",
    )

    def __init__(self, limit: Limit, retry_after: int) -> None:
        super().__init__(
            what=_NAMES.get(limit.name, Message(zh=limit.name, en=limit.name)).zh,
            what_en=_NAMES.get(limit.name, Message(zh=limit.name, en=limit.name)).en,
            hits=limit.hits,
            minutes=max(limit.window_seconds // 60, 1),
            retry_after=retry_after,
        )
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


_NAMES = {
    "lookup": Message(zh="查询", en="look-ups"),
    "verification": Message(zh="核验", en="verifications"),
}


# What a limited route adds to its OpenAPI `responses`.
RATE_LIMITED_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "请求过于频繁,请在 Retry-After 秒后重试"
        " / too many requests; retry after Retry-After seconds",
        "headers": {
            "Retry-After": {
                "description": "秒 / seconds",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    }
}


def principal_bucket(principal: Principal, limit: Limit) -> str:
    who = json.dumps([principal.issuer, principal.subject])
    return f"{limit.name}:{hashlib.sha256(who.encode()).hexdigest()[:48]}"


class RateLimiter:
    """Counters of one service; `hit` refuses calls over a limit, `miss` watches for bursts."""

    def __init__(
        self,
        database: Database,
        tables: PlatformTables,
        *,
        service: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._database = database
        self._table = tables.rate_limits
        self._service = service
        self._clock = clock

    async def count(
        self, bucket: str, limit: Limit, session: AsyncSession | None = None
    ) -> tuple[int, int]:
        """Add one call to `bucket`'s current window: (calls in it, seconds until it ends)."""
        now = self._clock()
        window_start = int(now // limit.window_seconds) * limit.window_seconds
        ends = window_start + limit.window_seconds
        values = {
            "bucket": bucket,
            "window_start": window_start,
            "hits": 1,
            "expires_at": datetime.fromtimestamp(ends, UTC),
        }
        if session is not None and self._database.dialect == "sqlite":
            hits = await self._add(session, values)
        else:
            async with self._database.session() as own:
                hits = await self._add(own, values)
        return hits, max(int(ends - now + 0.999), 1)

    async def _add(self, session: AsyncSession, values: dict[str, Any]) -> int:
        statement = upsert_adding(
            session, self._table, ["bucket", "window_start"], ["hits"]
        ).returning(self._table.c.hits)
        row: Any = (await session.execute(statement, values)).one()
        return int(row.hits)

    async def hit(
        self, principal: Principal, limit: Limit, *, session: AsyncSession | None = None
    ) -> None:
        """Count a call; over the limit raise `RateLimited` (429, Retry-After)."""
        hits, retry_after = await self.count(principal_bucket(principal, limit), limit, session)
        if hits > limit.hits:
            raise RateLimited(limit, retry_after)

    async def miss(
        self,
        principal: Principal,
        limit: Limit = LOOKUP_MISSES,
        *,
        session: AsyncSession | None = None,
    ) -> bool:
        """Count a look-up that found nothing; the call that passes the limit is logged as a
        security event and counted. True when the principal is over the limit."""
        hits, _ = await self.count(principal_bucket(principal, limit), limit, session)
        if hits == limit.hits + 1:
            SECURITY_EVENTS.labels(self._service, f"{limit.name}-burst").inc()
            security_log.warning(
                "burst of %s: %d in %d s by %s",
                limit.name,
                hits,
                limit.window_seconds,
                principal.subject,
                extra={"security_event": f"{limit.name}-burst", "principal": principal.subject},
            )
        return hits > limit.hits

    async def forget_expired(self) -> int:
        """Delete windows that have ended (call now and then, e.g. from a maintenance job)."""
        async with self._database.session() as session:
            result: Any = await session.execute(
                delete(self._table).where(
                    self._table.c.expires_at < datetime.now(UTC) - timedelta(seconds=1)
                )
            )
        return int(result.rowcount or 0)
