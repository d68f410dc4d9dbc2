"""A province's legacy card register through `canlian cards import` (one operator command, one
transaction): rows per second and peak memory, against a raw COPY of the same rows into three
plain tables shaped like persons, cards and the outbox, measured in the same run."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import asyncpg

from bench.report import Figure, Report
from canlian.cards.cli import REGISTER_HEADER, REGISTER_HEADER_TAIL, sample_register

COUNTY = "620102000000"  # 城关区, Lanzhou: its townships and villages hold the sample's rows


def _write_register(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REGISTER_HEADER + REGISTER_HEADER_TAIL)
        writer.writerows(sample_register(COUNTY, rows, seed=19))


async def _raw_copy(dsn: str, register: Path) -> float:
    """What the import must at least do: three COPYs of as many rows as the register holds,
    of about the width it writes (an encrypted ID and name, an index, codes, dates, a JSON
    envelope), in one transaction."""
    with register.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "DROP TABLE IF EXISTS bench_persons, bench_cards, bench_outbox;"
            "CREATE TABLE bench_persons (id bigint PRIMARY KEY, citizen_id text, "
            ' citizen_index text UNIQUE, name text, division text COLLATE "C");'
            "CREATE TABLE bench_cards (id bigint PRIMARY KEY, person_id bigint, number text, "
            ' category int, grade int, issued_on date, division text COLLATE "C");'
            "CREATE TABLE bench_outbox (seq bigint PRIMARY KEY, envelope text)"
        )
        started = time.perf_counter()
        async with connection.transaction():
            await connection.copy_records_to_table(
                "bench_persons",
                records=[
                    (n, "v1:" + row[0] * 3, f"i:{row[0]}", "v1:" + row[1] * 4, row[6])
                    for n, row in enumerate(rows)
                ],
            )
            await connection.copy_records_to_table(
                "bench_cards",
                records=[
                    (n, n, row[2], int(row[3]), int(row[4]), date.fromisoformat(row[5]), row[6])
                    for n, row in enumerate(rows)
                ],
            )
            await connection.copy_records_to_table(
                "bench_outbox",
                records=[
                    (
                        n,
                        json.dumps(
                            {
                                "specversion": "1.0",
                                "type": "cn.canlian.cards.card.issued.v1",
                                "subject": str(n),
                                "data": {"card_id": n, "person_id": n, "division": row[6]},
                            }
                        ),
                    )
                    for n, row in enumerate(rows)
                ],
            )
        return time.perf_counter() - started
    finally:
        await connection.execute("DROP TABLE IF EXISTS bench_persons, bench_cards, bench_outbox")
        await connection.close()


def _import(env: dict[str, str], register: Path, *flags: str) -> tuple[float, dict[str, object]]:
    report = register.with_suffix(f".{'-'.join(flag.strip('-') for flag in flags) or 'run'}.json")
    command = [
        sys.executable,
        "-m",
        "canlian.cli",
        "cards",
        "import",
        str(register),
        "--region",
        COUNTY,
        "--report",
        str(report),
        *flags,
    ]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads(report.read_text(encoding="utf-8"))


def run(report: Report, database_url: str, workdir: Path, *, rows: int) -> None:
    register = workdir / "register.csv"
    _write_register(register, rows)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CANLIAN_DATA_DIR": str(workdir / "data"),
        "CANLIAN_ENVIRONMENT": "development",
    }
    subprocess.run(
        [sys.executable, "-m", "canlian.cli", "migrate"], env=env, check=True, capture_output=True
    )
    dry_seconds, dry = _import(env, register, "--dry-run")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds, first = _import(env, register)
    peak_mib = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    again_seconds, again = _import(env, register)
    if first["imported_rows"] != rows or again["imported_rows"] != 0:
        raise RuntimeError(f"import wrote {first['imported_rows']}, then {again['imported_rows']}")
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    copy_seconds = asyncio.run(_raw_copy(dsn, register))
    report.add(
        Figure(
            "legacy import",
            f"card register of {rows:,} rows, written (persons, cards, card.issued events)",
            rows / seconds,
            "rows/s",
            "raw COPY of the same rows into three plain tables",
            rows / copy_seconds,
            goal="≥ 10,000 rows/s (1,000,000 rows ≤ 2 min)",
            note=(
                f"{seconds:.1f} s; dry run {dry_seconds:.1f} s ({rows / dry_seconds:,.0f} rows/s, "
                f"{dry['valid_rows']:,} valid); the same file again {again_seconds:.1f} s, "
                f"{again['unchanged_rows']:,} unchanged"
            ),
        )
    )
    report.add(
        Figure(
            "legacy import",
            "peak memory of the importing process",
            peak_mib,
            "MiB",
            goal="bounded (chunks), ≤ 1,024 MiB",
            higher_is_better=False,
        )
    )
