"""HTTP load with wrk: a fixed number of keep-alive connections, each sending its next request
when the last one answered (closed loop), for a fixed time. wrk is C with LuaJIT; the script
bench/wrk.lua adds the bearer token, makes each write's body unique and counts every response
outside 200-299. Throughput over the measured run, latency percentiles from wrk's histogram.

wrk comes from Debian's package; when it is missing, scripts/install-bench-tools.sh installs it
(announced on the console)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")
INSTALL = Path(__file__).parents[1] / "scripts" / "install-bench-tools.sh"
# Writes number their citizen IDs from the caller's offset; the warm-up takes numbers from
# offset, the measured run from offset + this, so that no ID is sent twice in one run.
_MEASURED_NUMBERS = 10_000_000


@dataclass(frozen=True)
class Requests:
    """What every connection sends (see bench/wrk.lua): "static" the same request, "regions"
    `path` + 4 digits over 100 regions, "person" a new person per request from `offset`."""

    mode: str
    method: str
    path: str
    token: str | None = field(default=None, repr=False)  # kept out of the log
    offset: int = 0


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50: float  # ms
    p90: float
    p99: float
    max: float
    non_2xx: int
    statuses: dict[str, int] = field(default_factory=dict)
    socket_errors: dict[str, int] = field(default_factory=dict)
    sample: str | None = None  # the first non-2xx response, status and start of the body
    client_cpu: float = 0.0  # wrk's CPU time over wall time: 1.0 = one core

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failures(self) -> int:
        """Responses outside 200-299 plus requests that got no response (socket errors and
        timeouts, which wrk leaves out of the latencies)."""
        return self.non_2xx + sum(self.socket_errors.values())

    def describe_failures(self) -> str:
        if not self.failures:
            return f"0 non-2xx of {self.requests:,}"
        parts = [f"{count}× {status}" for status, count in sorted(self.statuses.items())]
        parts += [f"{count}× {kind}" for kind, count in self.socket_errors.items() if count]
        return f"NOT VALID: {self.failures:,} failed ({', '.join(parts)}) of {self.requests:,}"


def wrk_binary() -> str:
    """wrk's path; installs it with the project's script when it is missing."""
    found = shutil.which("wrk")
    if found is None:
        print(f"  wrk not found: installing it with {INSTALL.name} (apt-get)", flush=True)
        subprocess.run(["bash", str(INSTALL)], check=True)
        found = shutil.which("wrk")
        if found is None:
            raise RuntimeError(f"wrk is still missing after {INSTALL}")
    return found


@dataclass(frozen=True)
class _Options:
    connections: int
    threads: int
    log_path: Path


def _wrk(
    base_url: str,
    requests: Requests,
    *,
    offset: int,
    seconds: int,
    options: _Options,
) -> LoadResult:
    command = [
        wrk_binary(),
        "--threads",
        str(options.threads),
        "--connections",
        str(options.connections),
        "--duration",
        f"{seconds}s",  # wrk takes whole seconds
        "--timeout",
        "10s",
        "--latency",
        "--script",
        str(SCRIPT),
        base_url,
    ]
    env = {
        **os.environ,
        "BENCH_MODE": requests.mode,
        "BENCH_METHOD": requests.method,
        "BENCH_PATH": requests.path,
        "BENCH_TOKEN": requests.token or "",
        "BENCH_OFFSET": str(offset),
        "BENCH_THREADS": str(options.threads),
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, env=env, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = completed.stdout.decode(errors="replace") + completed.stderr.decode(errors="replace")
    with options.log_path.open("a") as log:
        log.write(f"$ {' '.join(command)}  # {requests}\n{output}\n")
    line = next((ln for ln in output.splitlines() if ln.startswith("bench-result ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed (exit {completed.returncode}):\n{output[-2000:]}")
    data = json.loads(line.removeprefix("bench-result "))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    elapsed = data["duration_us"] / 1e6
    return LoadResult(
        requests=data["requests"],
        seconds=elapsed,
        p50=data["p50_us"] / 1000,
        p90=data["p90_us"] / 1000,
        p99=data["p99_us"] / 1000,
        max=data["max_us"] / 1000,
        non_2xx=data["non_2xx"],
        statuses=data["statuses"],
        socket_errors=data["socket_errors"],
        sample=data["sample"],
        client_cpu=cpu / elapsed if elapsed else 0.0,
    )


def run_load(
    base_url: str,
    requests: Requests,
    *,
    connections: int,
    threads: int,
    seconds: int,
    warmup_seconds: int,
    log_path: Path,
) -> LoadResult:
    """A warm-up (connections, pools, caches; its figures are discarded), then the measured
    run. wrk's own summary and latency distribution of both go to `log_path`."""
    options = _Options(connections, threads, log_path)
    warm = _wrk(base_url, requests, offset=requests.offset, seconds=warmup_seconds, options=options)
    if warm.failures:
        print(f"  warm-up: {warm.describe_failures()}; first: {warm.sample}", flush=True)
    return _wrk(
        base_url,
        requests,
        offset=requests.offset + _MEASURED_NUMBERS,
        seconds=seconds,
        options=options,
    )
