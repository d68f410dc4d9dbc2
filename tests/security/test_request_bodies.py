"""Class 3 (unbounded requests): the token is checked before the body is read; JSON bodies
(1 MiB) and uploads (20 MiB) are limited with 413 before buffering; uploads stream to disk."""

from __future__ import annotations

import importlib

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.settings import PlatformSettings
from canlian.common.web_security import RequestTooLarge

from .asgi import send_request
from .conftest import build_app

MB = 1024 * 1024


async def test_a_body_is_not_read_before_the_token_is_checked(
    security_app: FastAPI,
) -> None:
    for path in ("/v1/echo", "/v1/probes", "/v1/uploads"):
        exchange = await send_request(
            security_app,
            "POST",
            path,
            headers={"content-type": "application/json"},
            body_size=60 * MB,
        )
        assert exchange.status == 401
        assert exchange.json()["type"].endswith("/unauthenticated")
        assert exchange.body_read == 0
        forged = await send_request(
            security_app,
            "POST",
            path,
            headers={"content-type": "application/json", "authorization": "Bearer not.a.jwt"},
            body_size=60 * MB,
        )
        assert forged.status == 401
        assert forged.body_read == 0


async def test_a_json_body_over_the_limit_is_refused_before_it_is_read(
    security_app: FastAPI, official: dict[str, str]
) -> None:
    exchange = await send_request(
        security_app,
        "POST",
        "/v1/echo",
        headers={"content-type": "application/json", **official},
        body_size=2 * MB,
    )
    assert exchange.status == 413
    assert exchange.body_read == 0
    problem = exchange.json()
    assert problem["type"].endswith("/request-too-large")
    assert problem["title"] == "请求体过大"
    assert "1 MB" in problem["detail"]
    assert exchange.headers["content-type"] == "application/problem+json"
    english = await send_request(
        security_app,
        "POST",
        "/v1/echo",
        headers={"content-type": "application/json", "accept-language": "en", **official},
        body_size=2 * MB,
    )
    assert english.json()["title"] == RequestTooLarge.title.en


async def test_a_streamed_body_is_cut_off_at_the_limit(
    security_app: FastAPI, official: dict[str, str]
) -> None:
    exchange = await send_request(
        security_app,
        "POST",
        "/v1/echo",
        headers={"content-type": "application/json", **official},
        body_size=60 * MB,
        chunk=64 * 1024,
        declare_length=False,
    )
    assert exchange.status == 413
    assert exchange.json()["type"].endswith("/request-too-large")
    assert exchange.body_read <= MB + 64 * 1024


async def test_uploads_are_limited_to_20_mb_and_the_limit_is_a_setting(
    security_app: FastAPI, official: dict[str, str], postgres_settings: PlatformSettings
) -> None:
    multipart = {"content-type": "multipart/form-data; boundary=xyz", **official}
    refused = await send_request(
        security_app, "POST", "/v1/uploads", headers=multipart, body_size=21 * MB
    )
    assert refused.status == 413
    assert refused.body_read == 0
    assert "20 MB" in refused.json()["detail"]
    streamed = await send_request(
        security_app,
        "POST",
        "/v1/uploads",
        headers=multipart,
        body_size=30 * MB,
        declare_length=False,
        prefix=b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n',
    )
    assert streamed.status == 413
    assert streamed.body_read <= 21 * MB
    smaller = build_app(
        PlatformSettings(**{**postgres_settings.model_dump(), "canlian_max_upload_bytes": 2 * MB})
    )
    assert (
        await send_request(smaller, "POST", "/v1/uploads", headers=multipart, body_size=3 * MB)
    ).status == 413


async def test_an_upload_streams_through_and_its_retry_is_replayed(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    content = b"citizen_id,name\n" + b"x" * (3 * MB)
    headers = {**official, "Idempotency-Key": "upload-1"}
    first = await client.post(
        "/v1/uploads", headers=headers, files={"file": ("roster.csv", content, "text/csv")}
    )
    assert first.status_code == 201, first.text
    assert first.json()["bytes"] == len(content)
    # httpx picks a new random boundary for the retry: the parts are what count.
    again = await client.post(
        "/v1/uploads", headers=headers, files={"file": ("roster.csv", content, "text/csv")}
    )
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = await client.post(
        "/v1/uploads", headers=headers, files={"file": ("roster.csv", content + b"!", "text/csv")}
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")


@pytest.mark.parametrize("module", ["cards", "members", "metrics", "org_registry", "volunteers"])
def test_every_write_of_every_service_needs_a_token(
    module: str, embedded_settings: PlatformSettings
) -> None:
    """What lets the middleware refuse a tokenless body unread: no write is open to anyone."""
    factory = importlib.import_module(f"canlian.{module}.app").create_app
    settings_class = importlib.import_module(f"canlian.{module}.settings")
    settings = next(
        value
        for name, value in vars(settings_class).items()
        if name.endswith("Settings") and name != "PlatformSettings" and isinstance(value, type)
    )
    app = factory(settings(**embedded_settings.model_dump()))
    open_writes = [
        f"{method.upper()} {path}"
        for path, operations in app.openapi()["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete") and not operation.get("security")
    ]
    assert open_writes == []
