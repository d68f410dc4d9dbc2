"""`uv run python -m bench [--only api,events,...] [--quick]`: run the benchmarks, print every
figure next to its ceiling, write bench/results/latest.json and latest.md. Never fails on a
time."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench import (
    api,
    backlog,
    divisions_load,
    drilldown,
    drilldown_national,
    events,
    freshness,
    legacy_import,
    national_cards,
    rebuild,
    roster_import,
)
from bench.environment import compile_bytecode, kafka, postgres
from bench.report import Report
from canlian.common.garbage_collector import tune_for_long_runs

BENCHMARKS = (
    "divisions",
    "imports",
    "roster",
    "events",
    "backlog",
    "rebuild",
    "freshness",
    "drilldown",
    "national",
    "cards",
    "api",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset")
    parser.add_argument("--quick", action="store_true", help="smaller workloads, for a smoke run")
    parser.add_argument(
        "--rebuild-events", type=int, default=None, help="events in the rebuild's log"
    )
    parser.add_argument(
        "--api-processes",
        default=",".join(str(count) for count in api.PROCESSES),
        help="uvicorn processes per server in the API benchmark, a set of rows each (e.g. 1,2)",
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    compile_bytecode()
    # The consumers, folds and imports measured in this process run as the deployed worker
    # and commands run them: with the garbage collector tuned (servers at start, commands too).
    tune_for_long_runs()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="canlian-bench-") as scratch, postgres() as database:
        workdir = Path(scratch)
        if "divisions" in chosen:
            province = "62" if args.quick else None
            print(f"divisions: load {'Gansu' if province else 'all of China'}", flush=True)
            divisions_load.run(report, database, workdir, province=province)
        if "imports" in chosen:
            rows = 20_000 if args.quick else 1_000_000
            print(f"imports: a legacy card register of {rows:,} rows", flush=True)
            legacy_import.run(report, database, workdir, rows=rows)
        if "roster" in chosen:
            rows = 2_000 if args.quick else 20_000
            print(f"roster: a roster of {rows:,} committee members", flush=True)
            roster_import.run(report, database, rows=rows)
        if "events" in chosen:
            count = 20_000 if args.quick else 200_000
            print(f"events: {count:,} events through the rollups", flush=True)
            with kafka() as bootstrap:
                events.run(report, database, bootstrap, workdir, count=count)
        if "backlog" in chosen:
            count = 50_000 if args.quick else 1_000_000
            print(f"backlog: {count:,} events waiting, drained by one worker", flush=True)
            with kafka() as bootstrap:
                backlog.run(report, database, bootstrap, workdir, count=count)
        if "rebuild" in chosen:
            # Past one pass (settings.rebuild_pass_size) in a full run, to show the bound.
            count = args.rebuild_events or (20_000 if args.quick else 1_000_000)
            print(f"rebuild: {count:,} events replayed from the log", flush=True)
            with kafka() as bootstrap:
                rebuild.run(report, database, bootstrap, workdir, count=count)
        if "freshness" in chosen:
            rate, seconds = (2.0, 10.0) if args.quick else (5.0, 60.0)
            print(
                f"freshness: {rate:g} cards/s through the cards API for {seconds:g} s", flush=True
            )
            with kafka() as bootstrap:
                freshness.run(report, database, bootstrap, workdir, rate=rate, seconds=seconds)
        if "drilldown" in chosen:
            holders = 100_000 if args.quick else 1_000_000
            print(f"drill-down: {holders:,} card holders", flush=True)
            drilldown.run(report, database, workdir, holders=holders)
        if "national" in chosen:
            print("drill-down: the nation to every township and village", flush=True)
            drilldown_national.run(report, database, workdir, runs=5 if args.quick else 40)
        if "cards" in chosen:
            persons = 200_000 if args.quick else 10_000_000
            print(f"cards: {persons:,} persons and their cards over all of China", flush=True)
            national_cards.run(report, database, workdir, persons=persons)
        if "api" in chosen:
            seconds = 5 if args.quick else 30
            print(f"api: wrk, {api.CONNECTIONS} connections, {seconds} s per endpoint", flush=True)
            processes = tuple(int(count) for count in args.api_processes.split(","))
            api.run(report, database, workdir, seconds=seconds, processes=processes)
    path = report.write()
    print()
    print(report.markdown())
    print(f"written to {path} and {path.with_suffix('.json')}")


if __name__ == "__main__":
    main()
