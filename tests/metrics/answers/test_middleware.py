"""Kept answers served before routing: the same response as the route's, with the
platform's headers and metrics; every caller the route would refuse still reaches it."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.metrics.answers import serving
from canlian.testing.services import bearer

from ..conftest import GANSU

pytestmark = pytest.mark.postgres

INDICATORS = f"/v1/regions/{GANSU}/indicators"
ROUTE = "/v1/regions/{code}/indicators"

# Headers of the request, not of the answer.
_PER_REQUEST = {"x-request-id", "date", "traceparent"}


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many indicator requests reached the route's kept-answer step."""
    counted = {"indicators": 0}
    kept_answer: Callable[..., Any] = serving.kept_answer

    async def counting(*args: Any, **kwargs: Any) -> Any:
        counted["indicators"] += 1
        return await kept_answer(*args, **kwargs)

    monkeypatch.setattr("canlian.metrics.regions.routes.kept_answer", counting)
    return counted


def _answer_headers(response: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name not in _PER_REQUEST}


def _served(status: int) -> float:
    value = REGISTRY.get_sample_value(
        "canlian_http_requests_total",
        {"service": "metrics", "method": "GET", "route": ROUTE, "status": str(status)},
    )
    return value or 0.0


async def test_a_kept_answer_is_the_routes_answer_with_the_platforms_headers(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, routed: dict[str, int]
) -> None:
    first = await client.get(INDICATORS, headers=official)
    assert first.status_code == 200
    served_before = _served(200)
    again = await client.get(INDICATORS, headers=official)
    assert routed["indicators"] == 1  # the second never reached the route
    assert again.status_code == 200
    assert again.content == first.content
    assert _answer_headers(again) == _answer_headers(first)
    assert "content-security-policy" in again.headers
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert _served(200) == served_before + 1  # counted under its route, not "unmatched"
    unchanged = await client.get(
        INDICATORS, headers={**official, "If-None-Match": first.headers["etag"]}
    )
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == first.headers["etag"]
    assert routed["indicators"] == 1


async def test_every_caller_the_route_would_refuse_reaches_it(
    client: httpx.AsyncClient,
    official: dict[str, str],
    postgres_settings: PlatformSettings,
    gansu: None,
    routed: dict[str, int],
) -> None:
    kept = await client.get(INDICATORS, headers=official)
    assert kept.status_code == 200
    volunteer = bearer(postgres_settings, roles=[auth.VOLUNTEER], region=GANSU, subject="v")
    refused = {
        "no token": {},
        "not a token": {"Authorization": "Bearer not-a-token"},
        "another scheme": {"Authorization": official["Authorization"].replace("Bearer", "Basic")},
        "a volunteer of the same region": volunteer,
    }
    for why, headers in refused.items():
        response = await client.get(
            INDICATORS, headers={**headers, "If-None-Match": kept.headers["etag"]}
        )
        assert response.status_code in (401, 403), why
        assert response.headers["content-type"].startswith("application/problem+json"), why
        assert "etag" not in response.headers, why
    assert routed["indicators"] == 1


async def test_another_question_or_a_write_goes_to_the_routes(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, routed: dict[str, int]
) -> None:
    await client.get(INDICATORS, headers=official)
    other = await client.get(INDICATORS, params={"milestone": "final"}, headers=official)
    assert other.status_code == 200
    assert routed["indicators"] == 2
    unknown = await client.get(INDICATORS, params={"colour": "red"}, headers=official)
    assert unknown.status_code == 422  # an unknown query parameter, refused as ever
    written = await client.post(INDICATORS, headers=official, json={})
    assert written.status_code == 405
