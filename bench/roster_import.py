"""A county roster of committee members through the members' roster import (one transaction, as
the API and `canlian members import` run it): rows per second of the dry run, the import and the
same file again, against a raw COPY of the same rows into plain tables shaped like members,
appointments, status changes and the outbox (two events a row), measured in the same run."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tempfile
import time
from datetime import date
from pathlib import Path

import asyncpg

from bench.report import Figure, Report
from canlian.common import auth, citizen_id
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import (
    OrganisationEstablished,
    OrganisationKind,
    OrganisationStatus,
)
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import ImportReport
from canlian.members.app import apply_organisation_events, service_descriptor
from canlian.members.models import Base
from canlian.members.roster.imports import import_roster
from canlian.members.settings import MembersSettings
from canlian.testing.services import rebuild_schema

CITY = "620100"  # Lanzhou, whose districts hold the roster's organisations
COUNTIES = ("620102", "620103", "620104", "620105", "620111", "620121", "620122", "620123")
TOWNSHIPS = 500  # of 20 organisations each: 10,000 rows a district
HEADER = (
    "姓名",
    "公民身份号码",
    "残疾人或亲属",
    "残疾类别",
    "组织编号",
    "选聘方式",
    "合同开始日期",
    "合同结束日期",
    "公益性岗位",
    "月补贴(元)",
)


def _places(rows: int) -> list[tuple[str, str, int]]:
    """(organisation id, division, level): townships of 19 villages, one committee member
    each, like a real county (several districts' worth for a large roster)."""
    if rows > len(COUNTIES) * TOWNSHIPS * 20:
        raise ValueError(f"at most {len(COUNTIES) * TOWNSHIPS * 20:,} rows")
    places: list[tuple[str, str, int]] = []
    township = 0
    while len(places) < rows:
        county, number = COUNTIES[township // TOWNSHIPS], township % TOWNSHIPS + 1
        township += 1
        code = f"{county}{number:03d}"
        places.append((f"fed-{code}", f"{code}000", 4))
        for village in range(1, 20):
            places.append((f"assoc-{code}{village:03d}", f"{code}{village:03d}", 5))
    return places[:rows]


def _citizen_id(sequence: int) -> str:
    born = date(1960, 1, 1).toordinal() + sequence // 1000
    first17 = f"{COUNTIES[0]}{date.fromordinal(born):%Y%m%d}{sequence % 1000:03d}"
    return first17 + citizen_id.check_digit(first17)


def _roster(places: list[tuple[str, str, int]]) -> list[list[str]]:
    return [
        [
            f"委员{sequence}",
            _citizen_id(sequence),
            "残疾人",
            "肢体",
            organisation_id,
            "公开考试",
            "2024-01-01",
            "2026-12-31",
            "是" if level == 4 else "否",
            "60" if sequence % 7 == 0 else "100",
        ]
        for sequence, (organisation_id, _, level) in enumerate(places)
    ]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _organisation(organisation_id: str, division_code: str, level: int) -> CloudEvent:
    event = OrganisationEstablished(
        organisation_id=organisation_id,
        version=1,
        name="残联" if level == 4 else "残协",
        kind=OrganisationKind.FEDERATION if level == 4 else OrganisationKind.ASSOCIATION,
        level=level,
        division_code=division_code,
        covered_divisions=[],
        status=OrganisationStatus.ESTABLISHED,
        established_on=date(2020, 1, 1),
    )
    return CloudEvent.wrap(event, source="/canlian/org-registry")


async def _raw_copy(dsn: str, rows: list[list[str]]) -> float:
    """What the import must at least do: COPYs of as many members, appointments and status
    changes as the roster holds rows, and two outbox envelopes a row, in one transaction."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "DROP TABLE IF EXISTS bench_members, bench_appointments, bench_changes, bench_outbox;"
            "CREATE TABLE bench_members (id bigint PRIMARY KEY, citizen_id text, "
            " citizen_index text UNIQUE, name text, division text);"
            "CREATE TABLE bench_appointments (id bigint PRIMARY KEY, member_id bigint, "
            " organisation_id text, post text, contract_start date, seat_key text UNIQUE);"
            "CREATE TABLE bench_changes (id bigint PRIMARY KEY, appointment_id bigint, "
            " to_status text, effective_on date, reason text);"
            "CREATE TABLE bench_outbox (seq bigint PRIMARY KEY, envelope text)"
        )
        started = time.perf_counter()
        async with connection.transaction():
            await connection.copy_records_to_table(
                "bench_members",
                records=[
                    (n, "v1:" + row[1] * 3, f"i:{row[1]}", "v1:" + row[0] * 4, row[4])
                    for n, row in enumerate(rows)
                ],
            )
            await connection.copy_records_to_table(
                "bench_appointments",
                records=[
                    (n, n, row[4], "committee_member", date.fromisoformat(row[6]), f"s:{row[4]}")
                    for n, row in enumerate(rows)
                ],
            )
            await connection.copy_records_to_table(
                "bench_changes",
                records=[
                    (n, n, "active", date.fromisoformat(row[6]), f"roster import row {n + 2}")
                    for n, row in enumerate(rows)
                ],
            )
            await connection.copy_records_to_table(
                "bench_outbox",
                records=[
                    (
                        2 * n + kind,
                        json.dumps(
                            {
                                "specversion": "1.0",
                                "type": f"cn.canlian.members.{kind}.v1",
                                "subject": str(n),
                                "data": {"member_id": n, "organisation_id": row[4]},
                            }
                        ),
                    )
                    for n, row in enumerate(rows)
                    for kind in (0, 1)
                ],
            )
        return time.perf_counter() - started
    finally:
        await connection.execute(
            "DROP TABLE IF EXISTS bench_members, bench_appointments, bench_changes, bench_outbox"
        )
        await connection.close()


async def _measure(database_url: str, rows: int) -> dict[str, float]:
    settings = MembersSettings(
        database_url=database_url,
        canlian_data_dir=Path(tempfile.mkdtemp(prefix="canlian-bench-roster-")),
    )
    await rebuild_schema(service_descriptor, settings)
    runtime = ServiceRuntime(service_descriptor, settings, Base.metadata)
    places = _places(rows)
    roster = _roster(places)
    content = _csv(roster)
    principal = auth.Principal(
        subject="bench", roles=frozenset({auth.OFFICIAL}), region=f"{CITY}000000"
    )
    figures: dict[str, float] = {}
    try:
        async with runtime.database.session() as session:
            await apply_organisation_events(session, [_organisation(*place) for place in places])

        async def timed(name: str, *, dry_run: bool) -> ImportReport:
            started = time.perf_counter()
            async with runtime.database.session() as session:
                report = await import_roster(
                    session, runtime, principal, content, "roster.csv", dry_run=dry_run
                )
            figures[name] = time.perf_counter() - started
            return report

        dry = await timed("dry", dry_run=True)
        first = await timed("import", dry_run=False)
        again = await timed("again", dry_run=False)
        if dry.valid_rows != rows or first.imported_rows != rows or again.unchanged_rows != rows:
            raise RuntimeError(f"roster import: {dry!r}, then {first!r}, then {again!r}")
    finally:
        await runtime.database.dispose()
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    figures["copy"] = await _raw_copy(dsn, roster)
    return figures


def run(report: Report, database_url: str, *, rows: int) -> None:
    seconds = asyncio.run(_measure(database_url, rows))
    report.add(
        Figure(
            "roster import",
            f"roster of {rows:,} committee members, written (members, appointments, events)",
            rows / seconds["import"],
            "rows/s",
            "raw COPY of the same rows into four plain tables",
            rows / seconds["copy"],
            note=(
                f"{seconds['import']:.1f} s; dry run {seconds['dry']:.1f} s "
                f"({rows / seconds['dry']:,.0f} rows/s); the same file again "
                f"{seconds['again']:.1f} s ({rows / seconds['again']:,.0f} rows/s, all unchanged)"
            ),
        )
    )
