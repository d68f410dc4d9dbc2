"""Loading all of China's divisions: the organisation registry's load (`canlian divisions
load`) against a raw COPY of the same rows into a plain table, and the metrics service's load
(`canlian metrics divisions load`: divisions, their entity states, counters and journal)
against the registry's load of the same file, both in the same run: time and each process's
own peak memory, and a second run that changes nothing."""

from __future__ import annotations

import asyncio
import os
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


def _timed(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one process, its own (wait4)."""
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log.read_text()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def run(report: Report, database_url: str, workdir: Path, *, province: str | None) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CANLIAN_DATA_DIR": str(workdir / "data"),
        "CANLIAN_ENVIRONMENT": "development",
    }
    scope_option = ["--province", province] if province else []
    registry = [sys.executable, "-m", "canlian.cli", "divisions", "load", *scope_option]
    metrics = [sys.executable, "-m", "canlian.cli", "metrics", "divisions", "load", *scope_option]
    log = workdir / "divisions-load.log"
    seconds, peak_mib = _timed(registry, env, log)
    second, _ = _timed(registry, env, log)
    metrics_seconds, metrics_peak = _timed(metrics, env, log)
    metrics_second, _ = _timed(metrics, env, log)
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
            note="the process's own peak",
        )
    )
    report.add(
        Figure(
            "divisions load",
            f"metrics: {scope} into the rollups, first load",
            metrics_seconds,
            "s",
            "the registry's load of the same file",
            seconds,
            goal="≤ 20 s" if province is None else "",
            higher_is_better=False,
            note=f"second run (changes nothing, writes nothing) {metrics_second:.1f} s",
        )
    )
    report.add(
        Figure(
            "divisions load",
            "metrics: peak memory of the loading process",
            metrics_peak,
            "MiB",
            "the registry's loading process",
            peak_mib,
            goal="≤ 256 MiB" if province is None else "",
            higher_is_better=False,
            note="the process's own peak",
        )
    )
