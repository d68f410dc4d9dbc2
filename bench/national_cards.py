"""The cards service at national scale: 10,000,000 persons and their cards over all of China's
villages (620,573, NBS 2023), in seed 003's category and grade mix, on a UTF-8-locale
PostgreSQL; then a county clerk's card list, applications backlog and holders report (p50,
p99) and a province's holders report, through the service's API.

The tables are the service's own (its migrations run first); the rows go in by COPY, with the
migrations' secondary indexes and foreign keys taken off before and put back after from their
own definitions (as a restore does), then VACUUM ANALYZE, as autovacuum would after a bulk
load. Identifiers and names are encrypted and indexed with the service's keys, so the pages
decrypt and mask them as in production.

The ceiling of each endpoint is the SQL it sends for a request (captured from the service's
app in this process), replayed bare on one asyncpg connection. Each region-scoped statement's
plan (EXPLAIN ANALYZE) is printed with the figures and said to use an index or not; the run
never fails on either."""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.drilldown import Statement, captured_sql
from bench.environment import uvicorn_process
from bench.report import RESULTS, Figure, Report
from canlian.cards.app import create_app
from canlian.cards.app import service_descriptor as cards
from canlian.cards.cards.number import card_number
from canlian.cards.cards.repository import BULK_CARD_COLUMNS
from canlian.cards.cli import SEED_003_CATEGORIES, SEED_003_GRADES
from canlian.cards.persons.repository import BULK_PERSON_COLUMNS
from canlian.cards.settings import CardsSettings
from canlian.common import auth, citizen_id
from canlian.common.db.migrations import upgrade
from canlian.common.personal_data import PersonalDataProtector, protector_from_settings
from canlian.org_registry.divisions.dataset import read_divisions

SCHEMA = "cards"
TABLES = ("persons", "applications", "cards")
CHUNK = 20_000
TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)

# Of the persons: 1% approved and waiting for their card (the 应发尽发 backlog), the others
# hold one; of the cards 95% valid, the rest expired; 70% smart cards; 20% issued after an
# application here, the rest taken over from the legacy register.
BACKLOG_SHARE = 0.01
VALID_SHARE = 0.95
SMART_SHARE = 0.7
APPLIED_SHARE = 0.2

PERSON_COLUMNS = BULK_PERSON_COLUMNS
APPLICATION_COLUMNS = (
    "id",
    "person_id",
    "division_code",
    "status",
    "applied_on",
    "home_visit",
    "poor",
    "fee_waived",
    "institution",
    "assessor",
    "assessed_on",
    "category",
    "grade",
    "reviewed_on",
    "reviewer",
    "card_id",
    "version",
    "created_at",
    "updated_at",
)
CARD_COLUMNS = (*BULK_CARD_COLUMNS, "application_id")  # as the legacy import, and its link


@dataclass(frozen=True)
class Holder:
    """One generated person: where they live, their citizen ID and what they hold (a card,
    or an approved application still waiting for one)."""

    number: int  # 1-based: the person's id, and their card's or application's
    village: str
    citizen_id: str
    category: int
    grade: int
    has_card: bool
    valid: bool
    smart: bool
    applied: bool
    issued_on: date


def citizen_id_of(number: int, village: str) -> str:
    """A valid citizen ID unique per `number` below 25,550,000: the village's county area,
    a birth date in 1940-2009 and a sequence that `number` fixes between them."""
    day = (number // 1000 * 7919) % 25_550  # 7919 is prime to 25,550: distinct days
    born = date(1940, 1, 1) + timedelta(days=day)
    first17 = f"{village[:6]}{born:%Y%m%d}{number % 1000:03d}"
    return first17 + citizen_id.check_digit(first17)


def holders(start: int, count: int, villages: Sequence[str], rng: random.Random) -> list[Holder]:
    """Persons `start` .. `start + count - 1`, each in a village drawn uniformly, their
    category and grade in seed 003's mix."""
    places = rng.choices(villages, k=count)
    categories = rng.choices(list(SEED_003_CATEGORIES), list(SEED_003_CATEGORIES.values()), k=count)
    grades = rng.choices(list(SEED_003_GRADES), list(SEED_003_GRADES.values()), k=count)
    rolls = rng.random
    found = []
    for offset in range(count):
        number = start + offset
        village = places[offset]
        valid = rolls() < VALID_SHARE
        # A valid card was issued in the last nine years; an expired one over ten years ago.
        age = rng.randrange(1, 365 * 9) if valid else rng.randrange(3653, 365 * 13)
        found.append(
            Holder(
                number=number,
                village=village,
                citizen_id=citizen_id_of(number, village),
                category=categories[offset],
                grade=grades[offset],
                has_card=rolls() >= BACKLOG_SHARE,
                valid=valid,
                smart=rolls() < SMART_SHARE,
                applied=rolls() < APPLIED_SHARE,
                issued_on=TODAY - timedelta(days=age),
            )
        )
    return found


def _records(
    pii: PersonalDataProtector, chunk: Sequence[Holder]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The persons, applications and cards rows of a chunk, in the *_COLUMNS orders."""
    sealed = pii.encrypt_many([h.citizen_id for h in chunk] + [f"持证人{h.number}" for h in chunk])
    persons, applications, cards_ = [], [], []
    for h, sealed_id, sealed_name in zip(
        chunk, sealed[: len(chunk)], sealed[len(chunk) :], strict=True
    ):
        born = citizen_id.birth_date(h.citizen_id)
        persons.append(
            (
                h.number,
                sealed_id,
                pii.index(h.citizen_id),
                sealed_name,
                None,  # no phone
                citizen_id.sex(h.citizen_id),
                born,
                h.village,
                1,
                NOW,
                NOW,
            )
        )
        applied_on = h.issued_on - timedelta(days=30)
        if not h.has_card or h.applied:
            reviewed = h.issued_on - timedelta(days=5)
            applications.append(
                (
                    h.number,
                    h.number,
                    h.village,
                    "issued" if h.has_card else "approved",
                    applied_on,
                    False,
                    False,
                    False,
                    "县残疾评定医院",
                    "评定医师",
                    applied_on + timedelta(days=10),
                    h.category,
                    h.grade,
                    reviewed,
                    "县残联",
                    h.number if h.has_card else None,
                    2 if h.has_card else 1,
                    NOW,
                    NOW,
                )
            )
        if h.has_card:
            cards_.append(
                (
                    h.number,
                    h.number,
                    pii.index(card_number(h.citizen_id, h.category, h.grade)),
                    h.village,
                    "valid" if h.valid else "expired",
                    h.category,
                    h.grade,
                    "smart" if h.smart else "second_generation",
                    h.issued_on,
                    h.issued_on + timedelta(days=3652),
                    "application" if h.applied else "import",
                    False,
                    1,
                    NOW,
                    NOW,
                    h.number if h.applied else None,
                )
            )
    return persons, applications, cards_


async def _take_off_indexes(connection: asyncpg.Connection) -> list[str]:
    """Drop the tables' foreign keys and secondary indexes (primary keys stay); return the
    statements that put them back, indexes first."""
    indexes = await connection.fetch(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS ddl "
        "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'p' "
        "WHERE n.nspname = $1 AND t.relname = ANY($2::text[]) AND c.oid IS NULL",
        SCHEMA,
        list(TABLES),
    )
    keys = await connection.fetch(
        "SELECT c.conrelid::regclass::text AS tab, c.conname AS name, "
        "pg_get_constraintdef(c.oid) AS ddl FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = $1 AND t.relname = ANY($2::text[]) AND c.contype IN ('f', 'u')",
        SCHEMA,
        list(TABLES),
    )
    restore = []
    for key in keys:
        await connection.execute(f'ALTER TABLE {key["tab"]} DROP CONSTRAINT "{key["name"]}"')
    constraint_names = {key["name"] for key in keys}
    for index in indexes:
        if index["name"].split(".")[-1] not in constraint_names:
            await connection.execute(f"DROP INDEX {index['name']}")
            restore.append(index["ddl"])
    # Unique constraints (their indexes) before the foreign keys that may lean on them.
    restore += [f'ALTER TABLE {k["tab"]} ADD CONSTRAINT "{k["name"]}" {k["ddl"]}' for k in keys]
    restore.sort(key=lambda ddl: "FOREIGN KEY" in ddl)
    return restore


async def _fill(dsn: str, pii: PersonalDataProtector, persons: int) -> dict[str, float]:
    villages = [r.code for r in read_divisions() if r.level == 5]
    rng = random.Random(19)
    connection = await asyncpg.connect(dsn)
    seconds: dict[str, float] = {}
    try:
        # Each COPY's commit flushed, as production commits: VACUUM can then mark every page
        # all-visible (a commit not yet flushed leaves its rows' pages unmarked).
        await connection.execute("SET synchronous_commit = on")
        await connection.execute(f"TRUNCATE {', '.join(f'{SCHEMA}.{t}' for t in TABLES)} CASCADE")
        restore = await _take_off_indexes(connection)
        started = time.perf_counter()
        for start, count in _chunks(persons):
            chunk = holders(start, count, villages, rng)
            person_rows, application_rows, card_rows = _records(pii, chunk)
            for table, columns, rows in (
                ("persons", PERSON_COLUMNS, person_rows),
                ("applications", APPLICATION_COLUMNS, application_rows),
                ("cards", CARD_COLUMNS, card_rows),
            ):
                await connection.copy_records_to_table(
                    table, schema_name=SCHEMA, columns=list(columns), records=rows
                )
        seconds["copy"] = time.perf_counter() - started
        started = time.perf_counter()
        await connection.execute("SET maintenance_work_mem = '1GB'")
        for ddl in restore:
            await connection.execute(ddl)
        for table in TABLES:  # ids were given: the sequences go on after the largest
            await connection.execute(
                "SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", f"{SCHEMA}.{table}", persons
            )
        seconds["indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        for table in TABLES:
            await connection.execute(f"VACUUM (ANALYZE) {SCHEMA}.{table}")
        seconds["vacuum"] = time.perf_counter() - started
    finally:
        await connection.close()
    return seconds


def _regions() -> tuple[str, str]:
    """The province with the most villages and, in it, the county with the most: the largest
    pages and counts a clerk and a province ask for."""
    villages = [r.code for r in read_divisions() if r.level == 5]
    province = Counter(code[:2] for code in villages).most_common(1)[0][0]
    county = Counter(code[:6] for code in villages if code.startswith(province))
    return county.most_common(1)[0][0] + "000000", province + "0000000000"


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    region: str  # the token's scope


async def _captured(settings: CardsSettings, endpoint: Endpoint) -> list[Statement]:
    """The statements the endpoint sends for one request once warm, captured in process."""
    app = create_app(settings.model_copy(update={"log_level": "WARNING"}))

    async def get(client: httpx.AsyncClient) -> None:
        (await client.get(endpoint.path)).raise_for_status()

    return await captured_sql(app, _headers(settings, endpoint.region), get)


def _headers(settings: CardsSettings, region: str) -> dict[str, str]:
    token = auth.issue_token(settings, subject="bench", roles=[auth.OFFICIAL], region=region)
    return {"Authorization": f"Bearer {token}"}


async def _replayed(dsn: str, statements: list[Statement], runs: int) -> list[float]:
    connection = await asyncpg.connect(dsn)
    try:
        timings = []
        for _ in range(runs + 2):
            started = time.perf_counter()
            for sql, parameters in statements:
                await connection.fetch(sql, *parameters)
            timings.append((time.perf_counter() - started) * 1000)
        return timings[2:]
    finally:
        await connection.close()


_SCAN = re.compile(
    r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan)(?: using (\S+))? on (\S+)"
)


def index_use(plan: str) -> tuple[bool, list[str]]:
    """Whether a plan reads every table through an index (no sequential scan), and its scans."""
    scans = [" ".join(filter(None, match.groups())) for match in _SCAN.finditer(plan)]
    uses = bool(scans) and not any(scan.startswith("Seq Scan") for scan in scans)
    return uses, scans


async def _plans(dsn: str, statements: list[Statement]) -> list[tuple[str, str]]:
    """(statement, EXPLAIN ANALYZE) of each region-scoped statement (a division prefix)."""
    connection = await asyncpg.connect(dsn)
    try:
        found = []
        for sql, parameters in statements:
            if "division_code LIKE" not in sql:
                continue
            rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *parameters)
            found.append((sql, "\n".join(row[0] for row in rows)))
        return found
    finally:
        await connection.close()


async def _timed(url: str, headers: dict[str, str], path: str, runs: int) -> list[float]:
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:
        for _ in range(3):
            (await client.get(path)).raise_for_status()
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            (await client.get(path)).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
        return timings


def percentile(timings: Sequence[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(report: Report, database_url: str, workdir: Path, *, persons: int) -> None:
    settings = CardsSettings(
        database_url=database_url,
        canlian_data_dir=workdir / "data",
        canlian_environment="development",
    )
    asyncio.run(upgrade(cards, settings))
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    pii = protector_from_settings(settings)  # the service's keys, made once under data_dir
    started = time.perf_counter()
    load = asyncio.run(_fill(dsn, pii, persons))
    fill_seconds = time.perf_counter() - started
    print(
        f"  loaded {persons:,} persons in {fill_seconds:.0f} s (COPY {load['copy']:.0f} s, "
        f"indexes and keys {load['indexes']:.0f} s, VACUUM ANALYZE {load['vacuum']:.0f} s)",
        flush=True,
    )
    county, province = _regions()
    county_runs = 200 if persons >= 1_000_000 else 100
    endpoints = [
        (Endpoint("county: card list (page of 50)", "/v1/cards", county), county_runs, 50.0),
        (
            Endpoint("county: applications backlog", "/v1/reports/backlog", county),
            county_runs,
            50.0,
        ),
        (Endpoint("county: holders report", "/v1/reports/holders", county), county_runs, 50.0),
        (Endpoint("province: holders report", "/v1/reports/holders", province), 20, 500.0),
    ]
    env = {
        "DATABASE_URL": database_url,
        "CANLIAN_DATA_DIR": str(workdir / "data"),
        "CANLIAN_ENVIRONMENT": "development",
        "CANLIAN_RUN_WORKERS": "false",
    }
    plan_log: list[str] = []
    with uvicorn_process(
        "canlian.cards.app:create_app", env, workdir / "cards-national.log"
    ) as url:
        for endpoint, runs, goal in endpoints:
            statements = asyncio.run(_captured(settings, endpoint))
            plans = asyncio.run(_plans(dsn, statements))
            verdicts = []
            for sql, plan in plans:
                uses, scans = index_use(plan)
                verdicts.append(("index: " if uses else "NO INDEX: ") + ", ".join(scans))
                text = f"--- {endpoint.label} ({endpoint.region})\n{sql}\n{plan}\n"
                print(text, flush=True)
                plan_log.append(text)
            bare = asyncio.run(_replayed(dsn, statements, runs))
            api = asyncio.run(_timed(url, _headers(settings, endpoint.region), endpoint.path, runs))
            p50, p99 = statistics.median(api), percentile(api, 0.99)
            value, stat = (p99, "p99") if goal == 50.0 else (p50, "p50")
            bare_value = percentile(bare, 0.99) if stat == "p99" else statistics.median(bare)
            report.add(
                Figure(
                    "national cards",
                    f"{endpoint.label}, {persons:,} persons (API {stat})",
                    value,
                    "ms",
                    f"the endpoint's SQL bare on asyncpg ({len(statements)} "
                    f"statement{'s' if len(statements) != 1 else ''}, {stat})",
                    bare_value,
                    goal=f"{stat} ≤ {goal:,.0f} ms",
                    higher_is_better=False,
                    note=f"{'met' if value <= goal else 'not met'}; p50 {p50:.1f} ms, p99 "
                    f"{p99:.1f} ms over {runs} requests, region {endpoint.region}; plans: "
                    + ("; ".join(verdicts) or "no region-scoped statement"),
                )
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "national-cards-plans.txt").write_text("\n".join(plan_log), encoding="utf-8")
    report.add(
        Figure(
            "national cards",
            f"load of {persons:,} persons and their cards (COPY, indexes, VACUUM ANALYZE)",
            fill_seconds,
            "s",
            higher_is_better=False,
            note=f"COPY {load['copy']:.0f} s, indexes and keys {load['indexes']:.0f} s, "
            f"VACUUM ANALYZE {load['vacuum']:.0f} s",
        )
    )


def _chunks(persons: int) -> Iterator[tuple[int, int]]:
    for start in range(1, persons + 1, CHUNK):
        yield start, min(CHUNK, persons + 1 - start)
