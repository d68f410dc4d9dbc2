"""Property-based tests over every service's OpenAPI, against the service running as a
process on the real PostgreSQL: whatever a caller sends, never a 5xx, and every answer is one
the document describes (status code, content type, body schema, headers).

Two phases: each operation on its own, then workflows (schemathesis' stateful phase) that
follow the document's links - the id a creation answers into the reads and writes of that
object, the ETag a read answers into the If-Match of the write - with the same checks plus
the stateful ones: a created object is there to read, a deleted one is gone."""

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)
from schemathesis.core.result import Ok

from canlian.common import auth
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.org_registry.cli import load_divisions
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer

from . import schemathesis_formats  # noqa: F401  (the formats' strategies, for both phases)
from .conftest import ServicePool

pytestmark = pytest.mark.postgres

EXAMPLES_PER_OPERATION = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    # An operation that declares a bearer token refuses the request without one.
    ignored_auth,
]
# The stateful phase: suites of at most WORKFLOWS scenarios of at most WORKFLOW_STEPS calls,
# repeated (new seeds from the fixed one) until WORKFLOW_SECONDS are spent, per service: the
# five services add at most about three minutes on two cores.
WORKFLOWS = 100
WORKFLOW_STEPS = 6
WORKFLOW_SECONDS = 20
WORKFLOW_CHECKS = [*CHECKS, use_after_free, ensure_resource_availability]
REPOSITORY = Path(__file__).resolve().parents[2]


def _fuzz_operation(operation: Any, base_url: str, headers: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()


def _widest_caller(settings: PlatformSettings) -> dict[str, str]:
    """A national official and admin with every scope: the widest surface for the fuzzer."""
    return bearer(
        settings,
        roles=[auth.OFFICIAL, auth.ADMIN],
        region="000000000000",
        scopes=[auth.PERSONAL_DATA_READ],
    )


@pytest.mark.parametrize("service", [d.name for d in installed_services()])
def test_no_server_errors_on_any_operation(
    service: str, service_processes: ServicePool, postgres_settings: PlatformSettings
) -> None:
    running = service_processes[service]
    schema = schemathesis.openapi.from_url(f"{running.url}/openapi.json")
    headers = _widest_caller(postgres_settings)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"unusable operation in the schema: {result.err()}")
            continue
        operation = result.ok()
        operations += 1
        try:
            _fuzz_operation(operation, running.url, headers)
        except Exception as error:
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert operations > 0
    assert not failures, "\n\n".join(failures) + "\n\nservice log tail:\n" + running.log()[-4000:]


@pytest.mark.parametrize("service", [d.name for d in installed_services()])
def test_workflows_follow_the_links_without_failures(
    service: str,
    service_processes: ServicePool,
    postgres_settings: PlatformSettings,
    tmp_path: Path,
) -> None:
    """Schemathesis' own stateful engine (its command), which tells a scenario that diverges
    because the server's data changed from a failure, over the service's links."""
    running = service_processes[service]
    if service == "org-registry":
        # Organisations are registered in divisions that exist: Ningxia's (rerun: resumes).
        registry = OrgRegistrySettings.model_validate(service_processes.settings.model_dump())
        asyncio.run(load_divisions(registry, "64"))
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        f"[phases.stateful]\nmax-steps = {WORKFLOW_STEPS}\n"
        f"[phases.stateful.generation]\nmax-examples = {WORKFLOWS}\n"
        "[phases.stateful.inference]\nalgorithms = []\n"
    )
    headers = _widest_caller(postgres_settings)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "run",
        f"{running.url}/openapi.json",
        "--phases",
        "stateful",
        "--checks",
        ",".join(check.__name__ for check in WORKFLOW_CHECKS),
        "--max-examples",
        str(WORKFLOWS),
        "--seed",
        "1",
        "--max-time",
        str(WORKFLOW_SECONDS),
        "--workers",
        "1",
        "--header",
        f"Authorization: {headers['Authorization']}",
        "--report",
        "ndjson",
        "--report-dir",
        str(tmp_path),
    ]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.faults.schemathesis_formats",
        "PYTHONPATH": str(REPOSITORY),
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        # In the test's directory: schemathesis keeps its cache of crashes where it runs.
        command,
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    print(output[-6000:])  # the run's summary: links followed, scenarios, checks
    assert run.returncode == 0, output[-8000:] + "\n\nservice log tail:\n" + running.log()[-4000:]
    links = re.search(r"API Links:\s+(\d+) covered / (\d+) selected", output)
    scenarios = re.search(r"Scenarios:\s+(\d+)", output)
    # The document publishes links and scenarios ran over them; how many links a time-boxed
    # run covers depends on the machine's load, so it is printed, not asserted.
    assert links is not None, output[-4000:]
    assert scenarios is not None, output[-4000:]
    assert int(links.group(2)) >= 2, output[-4000:]
    assert int(scenarios.group(1)) > 0, output[-4000:]
    print("links covered:", links.group(1), "of", links.group(2))
    # How far the ETags reached (members' updates, typically): for the log.
    print("writes past If-Match:", _writes_past_if_match(tmp_path))


def _writes_past_if_match(report_dir: Path) -> dict[str, int]:
    """The writes that sent an If-Match and were accepted (2xx), by operation: the ETag of
    the read reached them."""
    accepted: dict[str, int] = {}
    for report in report_dir.glob("*.ndjson"):
        for line in report.read_text().splitlines():
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            for interaction in finished.get("recorder", {}).get("interactions", {}).values():
                request, response = interaction.get("request", {}), interaction.get("response")
                headers = {name.lower() for name in request.get("headers") or {}}
                if "if-match" in headers and response and 200 <= response["status_code"] < 300:
                    label = f"{request['method']} {request['uri'].split('/', 3)[-1]}"
                    label = re.sub(r"/\d+", "/{id}", label.split("?")[0])
                    accepted[label] = accepted.get(label, 0) + 1
    return accepted
