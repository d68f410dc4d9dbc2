"""The plan PostgreSQL makes of a service's query: the first statement a repository call
sends, stopped at the driver and explained with its parameters bound, as the service sends it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession


class _Captured(Exception):
    """Stops a query at the driver once its SQL and parameters are known."""


async def explain_first(
    engine: AsyncEngine,
    run: Callable[[AsyncSession], Awaitable[Any]],
    *,
    sent: Callable[[str], bool] = lambda _statement: True,
) -> dict[str, Any]:
    """EXPLAIN (FORMAT JSON)'s top plan node of the first statement `run` sends that `sent`
    accepts (the statement is not run)."""
    captured: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool
    ) -> None:
        if sent(statement):
            captured.append((statement, parameters))
            raise _Captured

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with AsyncSession(engine) as session:
            with contextlib.suppress(_Captured):
                await run(session)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    if not captured:
        raise AssertionError("the query sent no statement to explain")
    statement, parameters = captured[0]
    async with engine.connect() as connection:
        result = await connection.exec_driver_sql(
            f"EXPLAIN (FORMAT JSON) {statement}", tuple(parameters)
        )
        document = result.scalar_one()
    plans: list[dict[str, Any]] = json.loads(document) if isinstance(document, str) else document
    plan: dict[str, Any] = plans[0]["Plan"]
    return plan


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A plan node and every node below it."""
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)
