"""Class 1 (a portal reads nothing but verification): a portal's token verifies cards and
nothing else, so every read of org-registry (leaders' disability categories included),
metrics and volunteers refuses it with 403."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app as create_metrics_app
from canlian.metrics.app import service_descriptor as metrics_descriptor
from canlian.metrics.settings import MetricsSettings
from canlian.org_registry.app import create_app as create_registry_app
from canlian.org_registry.app import service_descriptor as registry_descriptor
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import api_client, bearer
from canlian.volunteers.app import create_app as create_volunteers_app
from canlian.volunteers.app import service_descriptor as volunteers_descriptor

OPEN_PATHS = {"/healthz", "/readyz", "/docs", "/openapi.json", "/metrics"}
# The event catalogue is a published contract, open to everyone like the OpenAPI document.
OPEN_PREFIXES = ("/events/",)


def _registry(settings: PlatformSettings) -> FastAPI:
    return create_registry_app(OrgRegistrySettings.model_validate(settings.model_dump()))


def _metrics(settings: PlatformSettings) -> FastAPI:
    return create_metrics_app(
        MetricsSettings.model_validate(settings.model_dump()), run_consumer=False
    )


SERVICES: dict[str, tuple[ServiceDescriptor, Callable[[PlatformSettings], FastAPI]]] = {
    "org-registry": (registry_descriptor, _registry),
    "metrics": (metrics_descriptor, _metrics),
    "volunteers": (volunteers_descriptor, create_volunteers_app),
}


def _value(parameter: dict[str, Any]) -> str:
    """A value of the parameter's shape: a division code where one is asked for."""
    name = parameter["name"]
    schema = parameter.get("schema", {})
    if "code" in name or "division" in name or "region" in name:
        return "640000000000"
    if schema.get("type") == "integer":
        return "2025"
    if "enum" in schema:
        return str(schema["enum"][0])
    if name in ("year", "period"):
        return "2025"
    return str(uuid.uuid4())


def _get_requests(app: FastAPI) -> list[tuple[str, dict[str, str]]]:
    requests = []
    for path, operations in app.openapi()["paths"].items():
        if "get" not in operations or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            continue
        parameters = operations["get"].get("parameters", [])
        url = path
        query: dict[str, str] = {}
        for parameter in parameters:
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", _value(parameter))
            elif parameter["in"] == "query" and parameter.get("required"):
                query[parameter["name"]] = _value(parameter)
        requests.append((url, query))
    return requests


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_a_portal_token_reads_nothing(
    service: str, embedded_settings: PlatformSettings
) -> None:
    descriptor, build = SERVICES[service]
    await upgrade(descriptor, embedded_settings)
    app = build(embedded_settings)
    portal = bearer(embedded_settings, roles=[auth.PORTAL], region="640000000000")
    admin = bearer(embedded_settings, roles=[auth.ADMIN], region="000000000000")
    requests = _get_requests(app)
    assert len(requests) >= 5
    admitted = []
    try:
        async with api_client(app) as client:
            for url, query in requests:
                response = await client.get(url, params=query, headers=portal)
                if response.status_code != 403:
                    admitted.append((url, response.status_code))
                    continue
                assert response.json()["type"].endswith("/missing-role"), url
                # The same request with an administrator's token is not refused for its role.
                control = await client.get(url, params=query, headers=admin)
                assert control.status_code != 403, url
    finally:
        await app.state.runtime.database.dispose()
    assert admitted == []
