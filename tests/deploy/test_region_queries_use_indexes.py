"""Region-scoped queries use an index on a UTF-8 cluster, as production runs PostgreSQL.

Under a UTF-8 collation a b-tree index cannot serve `LIKE '620102%'`; the division-code
columns are `COLLATE "C"` (migration "division codes collate C" of every service). Each table
below holds 1,000,000 rows spread over 31 provinces; the service's own query for one county
(about 1 row in 12,000) is explained as the service sends it, parameters bound, and its plan
must reach the table through an index on the code column, not a sequential scan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from canlian.cards.app import service_descriptor as cards_descriptor
from canlian.cards.applications import repository as applications
from canlian.cards.applications.models import Application
from canlian.cards.cards import repository as cards
from canlian.cards.cards.models import Card
from canlian.cards.persons import repository as persons
from canlian.cards.persons.models import Person
from canlian.cards.reports import repository as card_reports
from canlian.cards.transfers import repository as transfers
from canlian.cards.transfers.models import TransferRequest
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.pagination import PageParams, paginate
from canlian.common.settings import PlatformSettings
from canlian.members.app import service_descriptor as members_descriptor
from canlian.members.appointments import repository as appointments
from canlian.members.appointments.models import Appointment
from canlian.members.archive import repository as archive
from canlian.members.archive.models import Member
from canlian.metrics.app import service_descriptor as metrics_descriptor
from canlian.metrics.plans import repository as plans
from canlian.metrics.regions import repository as regions
from canlian.org_registry.app import service_descriptor as registry_descriptor
from canlian.org_registry.organisations import repository as organisations
from canlian.org_registry.organisations.models import Organisation
from canlian.testing.plans import explain_first, plan_nodes
from canlian.testing.services import rebuild_schema
from canlian.volunteers.app import service_descriptor as volunteers_descriptor
from canlian.volunteers.needs import repository as needs
from canlian.volunteers.service_records import repository as service_records
from canlian.volunteers.volunteers import repository as volunteers

# Filling 1,000,000 rows into each table takes minutes on a small machine.
pytestmark = [pytest.mark.postgres, pytest.mark.timeout(1800)]

ROWS = 1_000_000
COUNTY = "620102"  # 兰州市城关区
DATABASE = "canlian_region_indexes"
PAGE = PageParams(limit=50)

# 12 digits from the row number: 31 provinces x 20 cities x 20 counties x 20 townships x 50.
CODE_SQL = (
    "(ARRAY['11','12','13','14','15','21','22','23','31','32','33','34','35','36','37','41',"
    "'42','43','44','45','46','50','51','52','53','54','61','62','63','64','65'])[1 + g % 31]"
    " || lpad((1 + (g / 31) % 20)::text, 2, '0') || lpad((1 + (g / 620) % 20)::text, 2, '0')"
    " || lpad((1 + (g / 12400) % 20)::text, 3, '0') || lpad((1 + g % 50)::text, 3, '0')"
)


# Most committee members at work, a tenth of them paid below the minimum.
APPOINTMENTS = (
    ("status", "CASE WHEN g % 7 = 0 THEN 'dismissed' ELSE 'active' END"),
    ("post", "CASE WHEN g % 9 = 0 THEN 'chair' ELSE 'committee_member' END"),
    ("allowance_compliant", "g % 10 <> 0"),
)


@dataclass(frozen=True)
class RegionQuery:
    name: str
    descriptor: ServiceDescriptor
    table: str
    code_column: str
    run: Callable[[AsyncSession], Awaitable[Any]]
    # Values for NOT NULL columns the generic filler cannot invent (checked enums).
    values: tuple[tuple[str, str], ...] = ()


async def _select(session: AsyncSession, statement: Any) -> Any:
    return await session.execute(statement)


QUERIES = [
    RegionQuery(
        "cards: persons list",
        cards_descriptor,
        "persons",
        "residence_division_code",
        lambda s: paginate(s, persons.persons_query(COUNTY), [Person.id], PAGE),
    ),
    RegionQuery(
        "cards: applications list",
        cards_descriptor,
        "applications",
        "division_code",
        lambda s: paginate(s, applications.applications_query(COUNTY), [Application.id], PAGE),
        values=(("status", "'approved'"),),
    ),
    RegionQuery(
        "cards: issuance backlog",
        cards_descriptor,
        "applications",
        "division_code",
        lambda s: paginate(s, card_reports.backlog_query(COUNTY), [Application.id], PAGE),
    ),
    RegionQuery(
        "cards: cards list",
        cards_descriptor,
        "cards",
        "division_code",
        lambda s: paginate(s, cards.cards_query(COUNTY), [Card.id], PAGE),
        values=(("status", "CASE WHEN g % 5 = 0 THEN 'expired' ELSE 'valid' END"),),
    ),
    RegionQuery(
        "cards: holders report",
        cards_descriptor,
        "cards",
        "division_code",
        lambda s: card_reports.holders_by_category_grade(s, COUNTY),
    ),
    RegionQuery(
        "cards: incoming transfer requests",
        cards_descriptor,
        "transfer_requests",
        "to_division_code",
        lambda s: paginate(
            s, transfers.requests_query(COUNTY, incoming=True), [TransferRequest.id], PAGE
        ),
    ),
    RegionQuery(
        "cards: outgoing transfer requests",
        cards_descriptor,
        "transfer_requests",
        "from_division_code",
        lambda s: paginate(
            s, transfers.requests_query(COUNTY, incoming=False), [TransferRequest.id], PAGE
        ),
    ),
    RegionQuery(
        "members: archive list",
        members_descriptor,
        "members",
        "division_code",
        lambda s: paginate(s, archive.members_in(COUNTY), [Member.id], PAGE),
    ),
    RegionQuery(
        "members: appointments list",
        members_descriptor,
        "appointments",
        "division_code",
        lambda s: paginate(s, appointments.appointments_in(COUNTY), [Appointment.id], PAGE),
        values=APPOINTMENTS,
    ),
    RegionQuery(
        "members: allowance compliance report",
        members_descriptor,
        "appointments",
        "division_code",
        lambda s: _select(s, appointments.allowance_non_compliant(COUNTY)),
        values=APPOINTMENTS,
    ),
    RegionQuery(
        "org-registry: organisations list",
        registry_descriptor,
        "organisations",
        "division_code",
        lambda s: paginate(s, organisations.organisations_query(COUNTY), [Organisation.id], PAGE),
    ),
    RegionQuery(
        "volunteers: volunteers list",
        volunteers_descriptor,
        "volunteers",
        "division_code",
        lambda s: volunteers.list_volunteers(
            s,
            PAGE,
            region_prefix=COUNTY,
            status=None,
            skill=None,
            team_id=None,
            sign_language_trained=None,
            min_star_level=None,
        ),
    ),
    RegionQuery(
        "volunteers: service records list",
        volunteers_descriptor,
        "service_records",
        "division_code",
        lambda s: service_records.list_records(s, PAGE, region_prefix=COUNTY),
    ),
    RegionQuery(
        "volunteers: needs list",
        volunteers_descriptor,
        "needs",
        "division_code",
        lambda s: needs.list_needs(
            s, PAGE, region_prefix=COUNTY, status=None, kind=None, without_volunteer=False
        ),
    ),
    RegionQuery(
        "metrics: divisions with counters below a county",
        metrics_descriptor,
        "counters",
        "division_code",
        lambda s: regions.counter_divisions_below(s, COUNTY, 9),
    ),
    RegionQuery(
        "metrics: a plan's targets in a county",
        metrics_descriptor,
        "plan_targets",
        "division_code",
        lambda s: plans.targets_below(s, "plan-0", COUNTY),
    ),
]


@pytest.fixture(scope="module")
def database_url(postgres_url: str) -> str:
    return make_url(postgres_url).set(database=DATABASE).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
async def engine(postgres_url: str, database_url: str) -> AsyncIterator[AsyncEngine]:
    admin = create_async_engine(postgres_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}"'))
        # template0: the cluster's own locale, UTF-8 as in production.
        await connection.execute(text(f'CREATE DATABASE "{DATABASE}" TEMPLATE template0'))
    engine = create_async_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(scope="module")
async def filled(engine: AsyncEngine, database_url: str, data_dir: Any) -> AsyncEngine:
    settings = PlatformSettings(
        database_url=database_url, canlian_data_dir=data_dir, canlian_environment="development"
    )
    for descriptor in {query.descriptor.schema: query.descriptor for query in QUERIES}.values():
        await rebuild_schema(descriptor, settings)
    tables: dict[tuple[str, str], dict[str, str]] = {}
    for query in QUERIES:
        values = tables.setdefault((query.descriptor.schema, query.table), {})
        values[query.code_column] = CODE_SQL
        values.update(query.values)
    async with engine.begin() as connection:
        # Foreign keys are not what is measured: rows need no parents.
        await connection.execute(text("SET session_replication_role = replica"))
        await connection.execute(text("SET maintenance_work_mem = '256MB'"))
        for (schema, table), values in tables.items():
            # A bulk load builds each index once afterwards, as a restore does: the same
            # indexes, minutes faster than maintaining them row by row.
            indexes = await _droppable_indexes(connection, schema, table)
            for name, _ in indexes:
                await connection.execute(text(f'DROP INDEX "{schema}"."{name}"'))
            await connection.execute(text(await _insert_sql(connection, schema, table, values)))
            for _, definition in indexes:
                await connection.execute(text(definition))
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for schema, table in tables:
            await autocommit.execute(text(f'ANALYZE "{schema}"."{table}"'))
    return engine


async def _droppable_indexes(connection: Any, schema: str, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that back no constraint."""
    rows = await connection.execute(
        text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname "
            "WHERE i.schemaname = :schema AND i.tablename = :table "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)"
        ),
        {"schema": schema, "table": table},
    )
    return [(name, definition) for name, definition in rows.all()]


async def _insert_sql(connection: Any, schema: str, table: str, values: dict[str, str]) -> str:
    columns = (
        await connection.execute(
            text(
                "SELECT column_name, data_type, is_nullable, column_default, "
                "character_maximum_length FROM information_schema.columns "
                "WHERE table_schema = :schema AND table_name = :table ORDER BY ordinal_position"
            ),
            {"schema": schema, "table": table},
        )
    ).all()
    names: list[str] = []
    expressions: list[str] = []
    for name, data_type, nullable, default, length in columns:
        expression = values.get(name) or _generic_value(name, data_type, nullable, default, length)
        if expression is not None:
            names.append(f'"{name}"')
            expressions.append(expression)
    return (
        f'INSERT INTO "{schema}"."{table}" ({", ".join(names)}) '  # noqa: S608
        f"SELECT {', '.join(expressions)} FROM generate_series(1, {ROWS}) AS g"
    )


def _generic_value(
    name: str, data_type: str, nullable: str, default: str | None, length: int | None
) -> str:
    if default is not None and default.startswith("nextval"):
        return "g"
    if name.endswith("_id") and data_type in ("integer", "bigint"):
        return "g"  # one row per parent: unique indexes on references hold
    if nullable == "YES" or default is not None:
        return None  # type: ignore[return-value]
    if data_type in ("integer", "bigint", "smallint"):
        return "1 + g % 4"
    if data_type == "numeric" or data_type.startswith("double") or data_type == "real":
        return "g % 100"
    if data_type == "boolean":
        return "g % 2 = 0"
    if data_type == "date":
        return f"DATE '{date(2020, 1, 1).isoformat()}' + (g % 2000)"
    if data_type.startswith("timestamp"):
        return "TIMESTAMPTZ '2020-01-01' + g * INTERVAL '1 minute'"
    if data_type in ("json", "jsonb"):
        return "'{}'"
    if data_type in ("character varying", "text", "character"):
        return f"left('v' || g, {length})" if length else "'v' || g"  # unique, short
    raise AssertionError(f"no generic value for a NOT NULL {data_type}")


async def _explain(engine: AsyncEngine, query: RegionQuery) -> dict[str, Any]:
    return await explain_first(
        engine,
        query.run,
        sent=lambda statement: (
            f'"{query.descriptor.schema}".' in statement or query.table in statement
        ),
    )


async def test_the_cluster_collates_as_production_does(filled: AsyncEngine) -> None:
    async with filled.connect() as connection:
        collation = await connection.scalar(
            text("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        )
    assert collation not in ("C", "POSIX"), "the index question only arises under UTF-8"
    assert "UTF-8" in str(collation).upper().replace("UTF8", "UTF-8")


async def test_every_division_code_column_compares_bytewise(filled: AsyncEngine) -> None:
    async with filled.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT table_schema, table_name, column_name, collation_name "
                    "FROM information_schema.columns WHERE table_schema = ANY(:schemas) "
                    "AND character_maximum_length = 12 AND (column_name LIKE '%division_code' "
                    "OR column_name IN ('code', 'parent_code', 'successor_code', 'village_code'))"
                ),
                {"schemas": sorted({query.descriptor.schema for query in QUERIES})},
            )
        ).all()
    assert len(rows) >= 25
    assert [row for row in rows if row.collation_name != "C"] == []


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
async def test_a_county_query_reaches_its_rows_through_an_index(
    filled: AsyncEngine, query: RegionQuery
) -> None:
    plan = await _explain(filled, query)
    on_table = [node for node in plan_nodes(plan) if node.get("Relation Name") == query.table]
    assert on_table, f"{query.name}: the plan does not read {query.table}: {plan}"
    for node in on_table:
        assert node["Node Type"] != "Seq Scan", f"{query.name} scans {query.table}: {plan}"
    conditions = " ".join(
        str(node.get(key, ""))
        for node in plan_nodes(plan)
        for key in ("Index Cond", "Recheck Cond")
    )
    assert query.code_column in conditions, f"{query.name}: no index on the code: {plan}"
