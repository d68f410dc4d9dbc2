"""A province's holders report reads valid cards from an index alone (migration 0010): at
national scale its million cards are spread over every page of the table, so a scan that
visits the heap costs a read of the whole table.

200,000 cards over 31 provinces, vacuumed (the visibility map set, as autovacuum leaves a
loaded table); the report's statement is explained as the service sends it, and its plan
must read the index alone (`python -m bench --only cards` shows the plan at 10,000,000)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from canlian.cards.reports import repository
from canlian.testing.plans import explain_first, plan_nodes
from canlian.testing.services import runtime_of

pytestmark = pytest.mark.postgres

CARDS = 200_000
PROVINCES = (
    "11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65"
)
INDEX = "ix_cards_valid_division_code_category_grade_generation"


async def _fill(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        # The rows need no persons: foreign keys are not what is looked at.
        await connection.execute(text("SET session_replication_role = replica"))
        await connection.execute(text("SET LOCAL synchronous_commit = on"))
        await connection.execute(
            text(
                "INSERT INTO cards.cards (id, person_id, number_index, division_code, status, "
                "category, grade, generation, issued_on, valid_until, source, home_visit, "
                "version, created_at, updated_at) "
                "SELECT g, g, 'n' || g, (string_to_array(:provinces, ','))[1 + g % 31] "
                "|| lpad((1 + g % 997)::text, 10, '0'), "
                "CASE WHEN g % 20 = 0 THEN 'expired' ELSE 'valid' END, 1 + g % 7, 1 + g % 4, "
                "CASE WHEN g % 10 < 7 THEN 'smart' ELSE 'second_generation' END, "
                "DATE '2024-01-01', DATE '2034-01-01', 'import', false, 1, now(), now() "
                "FROM generate_series(1, :cards) AS g"
            ),
            {"cards": CARDS, "provinces": PROVINCES},
        )
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM (ANALYZE) cards.cards"))


@pytest.fixture
async def filled(cards_app: FastAPI) -> AsyncIterator[AsyncEngine]:
    engine = runtime_of(cards_app).database.engine
    await _fill(engine)
    try:
        yield engine
    finally:  # the app is shared by the session's tests: leave its tables as found
        async with engine.begin() as connection:
            await connection.execute(text("TRUNCATE cards.cards CASCADE"))


async def test_a_province_report_is_an_index_only_scan(filled: AsyncEngine) -> None:
    plan = await explain_first(filled, lambda s: repository.holders_by_category_grade(s, "62"))
    scans = [node for node in plan_nodes(plan) if node.get("Relation Name") == "cards"]
    assert [(node["Node Type"], node.get("Index Name")) for node in scans] == [
        ("Index Only Scan", INDEX)
    ], plan
