"""Writes in the organisation registry reaching Gansu's indicators, measured on the embedded
default (SQLite files and the embedded event log), the services running as processes:

    uv run python -m tests.metrics.measure_end_to_end

Loads Gansu into the registry and the metrics service, defines the seeds' plans, starts both
with `canlian up`, registers three associations through the registry's API and times each
until the province's coverage counts it; then a county drill-down and the Excel report.
Prints figures; never passes or fails on time.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

import httpx

COVERAGE = "grassroots-organisation-coverage"
OFFSET = 200  # ports 8201 (registry) and 8205 (metrics)


def canlian(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "canlian.cli", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def wait_healthy(url: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def main() -> None:
    data = tempfile.mkdtemp(prefix="canlian-e2e-")
    env = {**os.environ, "CANLIAN_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    for args in (
        ("divisions", "load", "--province", "62"),
        ("metrics", "divisions", "load", "--province", "62"),
        ("metrics", "seed-plans"),
    ):
        started = time.perf_counter()
        canlian(*args, env=env)
        print(f"canlian {' '.join(args)}: {time.perf_counter() - started:.1f} s")
    token = canlian("token", "--role", "official", "--region", "62", env=env)
    up = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "canlian.cli",
            "up",
            "-s",
            "org-registry",
            "-s",
            "metrics",
            "--port-offset",
            str(OFFSET),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        registry_url, metrics_url = (
            f"http://127.0.0.1:{8001 + OFFSET}",
            f"http://127.0.0.1:{8005 + OFFSET}",
        )
        wait_healthy(registry_url)
        wait_healthy(metrics_url)
        headers = {"Authorization": f"Bearer {token}"}
        registry = httpx.Client(base_url=registry_url, headers=headers, timeout=10)
        metrics = httpx.Client(base_url=metrics_url, headers=headers, timeout=10)

        def coverage() -> dict[str, object]:
            body = metrics.get(
                "/v1/regions/620000000000/indicators", params={"plan": "gs-12th"}
            ).json()
            return next(item for item in body["indicators"] if item["indicator"] == COVERAGE)

        villages = registry.get("/v1/divisions/620102001000/children", params={"limit": 3})
        for number, village in enumerate(item["code"] for item in villages.json()["items"]):
            started = time.perf_counter()
            created = registry.post(
                "/v1/organisations",
                json={"name": f"测试残协{number}", "kind": "association", "division_code": village},
            )
            assert created.status_code == 201, created.text
            while int(str(coverage()["numerator"])) < number + 1:
                time.sleep(0.01)
            print(
                f"association in {village}: in Gansu's coverage after "
                f"{time.perf_counter() - started:.3f} s"
            )
        print("Gansu coverage:", coverage())
        started = time.perf_counter()
        drill = metrics.get(
            f"/v1/regions/620000000000/indicators/{COVERAGE}/children",
            params={"plan": "gs-12th", "level": "county", "limit": 200},
        ).json()
        print(
            f"drill-down to Gansu's {len(drill['children'])} counties: "
            f"{time.perf_counter() - started:.3f} s"
        )
        started = time.perf_counter()
        report = metrics.get("/v1/regions/620000000000/report.xlsx", params={"plan": "gs-12th"})
        print(
            f"Excel report: {report.status_code}, {len(report.content)} bytes, "
            f"{time.perf_counter() - started:.3f} s"
        )
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=30)


if __name__ == "__main__":
    main()
