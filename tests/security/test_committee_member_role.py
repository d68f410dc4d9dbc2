"""A committee member's token (role committee-member) reaches the needs service's
`/v1/me/...` and nothing else: every other read and write of every service refuses it with
403 missing-role, and an administrator's token on the same read is not refused for its role
(so the refusal is the role's, not the request's)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from canlian.cards.app import create_app as create_cards_app
from canlian.cards.app import service_descriptor as cards_descriptor
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import PlatformSettings
from canlian.members.app import create_app as create_members_app
from canlian.members.app import service_descriptor as members_descriptor
from canlian.needs.app import create_app as create_needs_app
from canlian.needs.app import service_descriptor as needs_descriptor
from canlian.testing.services import api_client, bearer
from canlian.volunteers.app import create_app as create_volunteers_app
from canlian.volunteers.app import service_descriptor as volunteers_descriptor

from .test_portal_role import OPEN_PATHS, OPEN_PREFIXES, _value
from .test_portal_role import SERVICES as PORTAL_SERVICES

# The committee members' own routes: the only ones the role is for.
MEANT_FOR_MEMBERS = "/v1/me"
# The role's refusal; policy values checks its administrators in the route, after the region.
REFUSALS = ("/missing-role", "/policy-administrator-required")


def _cards(settings: PlatformSettings) -> FastAPI:
    return create_cards_app(CardsSettings.model_validate(settings.model_dump()))


SERVICES: dict[str, tuple[ServiceDescriptor, Callable[[PlatformSettings], FastAPI]]] = {
    **PORTAL_SERVICES,
    "members": (members_descriptor, create_members_app),
    "cards": (cards_descriptor, _cards),
    "needs": (needs_descriptor, create_needs_app),
    "volunteers": (volunteers_descriptor, create_volunteers_app),
}


def _shaped(parameter: dict[str, Any]) -> str:
    """A value the path or query accepts, so that only the role can refuse the request."""
    schema = parameter.get("schema", {})
    shapes = [schema, *schema.get("anyOf", [])]
    if any(shape.get("format") == "date" for shape in shapes):
        return "2026-01-01"
    if any(shape.get("format") == "date-time" for shape in shapes):
        return "2026-01-01T00:00:00+08:00"
    name = parameter["name"]
    if "code" in name or "division" in name or "region" in name:
        return "620102000000"  # within the member's token: the region check passes
    return _value(parameter)


def _example(operation: dict[str, Any]) -> Any:
    """The body the OpenAPI document gives as the example (every body has one), so that a
    route checking its role after the body still meets the role."""
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {})
    if "example" in body:
        return body["example"]
    examples = body.get("examples") or body.get("schema", {}).get("examples")
    if isinstance(examples, dict):
        return next(iter(examples.values())).get("value", {})
    if isinstance(examples, list) and examples:
        return examples[0]
    return {}


def _requests(app: FastAPI, service: str) -> list[tuple[str, str, dict[str, str], Any]]:
    requests = []
    for path, operations in app.openapi()["paths"].items():
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            continue
        if service == "needs" and path.startswith(MEANT_FOR_MEMBERS):
            continue
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if not operation.get("security"):
                continue
            url = path
            query: dict[str, str] = {}
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    url = url.replace("{" + parameter["name"] + "}", _shaped(parameter))
                elif parameter["in"] == "query" and parameter.get("required"):
                    query[parameter["name"]] = _shaped(parameter)
            requests.append((method, url, query, _example(operation)))
    return requests


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_a_committee_member_token_is_refused_outside_its_routes(
    service: str, embedded_settings: PlatformSettings
) -> None:
    descriptor, build = SERVICES[service]
    await upgrade(descriptor, embedded_settings)
    app = build(embedded_settings)
    member = bearer(
        embedded_settings, roles=[auth.COMMITTEE_MEMBER], region="620102000000", subject="m-1"
    )
    admin = bearer(embedded_settings, roles=[auth.ADMIN], region="000000000000")
    requests = _requests(app, service)
    assert len(requests) >= 5
    admitted: list[tuple[str, str, int]] = []
    try:
        async with api_client(app) as client:
            # A parameter the service knows, so that its in-route gate meets the role.
            listed = await client.get("/v1/policies", headers=admin)
            policies = listed.json()["items"] if listed.status_code == 200 else []
            for method, raw_url, query, example in requests:
                url = raw_url
                if policies:
                    known = f"/v1/policies/{policies[0]['name']}/regions/"
                    url = re.sub(r"^/v1/policies/[^/]+/regions/", known, raw_url)
                body = example if method in ("post", "put", "patch") else None
                headers = {**member, "If-Match": '"1"'}
                response = await client.request(
                    method, url, params=query, json=body, headers=headers
                )
                if response.status_code != 403:
                    admitted.append((method, url, response.status_code))
                    continue
                assert response.json()["type"].endswith(REFUSALS), (method, url)
                if method == "get":
                    control = await client.get(url, params=query, headers=admin)
                    assert control.status_code != 403, url
    finally:
        await app.state.runtime.database.dispose()
    assert admitted == []
