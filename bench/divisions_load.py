"""Loading all of China's divisions (`canlian divisions load`): time and peak memory, against a
raw COPY of the same rows into a plain table in the same run."""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import asyncpg

from bench.report import Figure, Report
from canlian.org_registry.divisions.dataset import read_divisions


async def _raw_copy(dsn: str, province: str | None) -> tuple[float, int]:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("DROP TABLE IF EXISTS bench_divisions")
        await connection.execute(
            "CREATE TABLE bench_divisions (code text PRIMARY KEY, name text, level int, "
            "parent_code text)"
        )
        started = time.perf_counter()
        records = (
            (record.code, record.name, record.level, record.parent_code)
            for record in read_divisions(province)
        )
        rows = list(records)
        await connection.copy_records_to_table("bench_divisions", records=rows)
        return time.perf_counter() - started, len(rows)
    finally:
        await connection.close()


def run(report: Report, database_url: str, workdir: Path, *, province: str | None) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CANLIAN_DATA_DIR": str(workdir / "data"),
        "CANLIAN_ENVIRONMENT": "development",
    }
    command = [sys.executable, "-m", "canlian.cli", "divisions", "load"]
    if province:
        command += ["--province", province]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    again = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    second = time.perf_counter() - again
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    copy_seconds, rows = asyncio.run(_raw_copy(dsn, province))
    scope = f"province {province}" if province else "all of China"
    report.add(
        Figure(
            "divisions load",
            f"{scope}, first load ({rows:,} divisions)",
            seconds,
            "s",
            "raw COPY of the same rows",
            copy_seconds,
            goal="≤ 120 s",
            higher_is_better=False,
            note=f"second run (changes nothing) {second:.1f} s",
        )
    )
    report.add(
        Figure(
            "divisions load",
            "peak memory of the loading process",
            peak_mib,
            "MiB",
            goal="≤ 1,024 MiB",
            higher_is_better=False,
            note="largest child process so far"
            + ("" if before == 0 else " (includes earlier children)"),
        )
    )
