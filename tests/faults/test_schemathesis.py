"""Property-based tests over every service's OpenAPI, against the service running as a
process on the real PostgreSQL: whatever a caller sends, never a 5xx, and every answer is one
the document describes (status code, content type, body schema, headers)."""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from canlian.common import auth
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer

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


@pytest.mark.parametrize("service", [d.name for d in installed_services()])
def test_no_server_errors_on_any_operation(
    service: str, service_processes: ServicePool, postgres_settings: PlatformSettings
) -> None:
    running = service_processes[service]
    schema = schemathesis.openapi.from_url(f"{running.url}/openapi.json")
    # A national official with every scope: the widest surface for the fuzzer.
    headers = bearer(
        postgres_settings,
        roles=[auth.OFFICIAL, auth.ADMIN],
        region="000000000000",
        scopes=[auth.PERSONAL_DATA_READ],
    )
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
