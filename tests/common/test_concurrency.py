"""Optimistic concurrency in the kit: ETags from versions, If-Match checked, 412 and 428."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from canlian.common.concurrency import (
    IfMatchRequired,
    Precondition,
    PreconditionFailed,
    etag,
    matches,
)
from canlian.common.dependencies import IfMatch
from canlian.common.openapi_contract import document_problems
from canlian.common.problems import install_problem_handlers
from canlian.common.settings import PlatformSettings


def test_the_etag_of_a_version_is_a_strong_quoted_tag() -> None:
    assert etag(3) == '"3"'


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('"3"', True),
        ('W/"3"', True),
        ('"2", "3"', True),
        ("*", True),
        ('"2"', False),
        ("3", False),
        ('"33"', False),
        ("", False),
    ],
)
def test_if_match_names_a_version(header: str, expected: bool) -> None:
    assert matches(header, 3) is expected


def test_a_stale_if_match_fails_with_the_current_etag() -> None:
    with pytest.raises(PreconditionFailed) as raised:
        Precondition(if_match='"1"').check(2)
    assert raised.value.status == 412
    assert raised.value.extensions() == {"current_etag": '"2"'}
    assert raised.value.headers() == {"ETag": '"2"'}


def test_a_missing_if_match_is_required_unless_in_a_migration_period() -> None:
    with pytest.raises(IfMatchRequired) as raised:
        Precondition(if_match=None).check(2)
    assert raised.value.status == 428
    Precondition(if_match=None, required=False).check(2)
    with pytest.raises(PreconditionFailed):
        Precondition(if_match='"1"', required=False).check(2)


def test_a_create_or_replace_names_a_version_only_when_one_exists() -> None:
    Precondition(if_match=None).check_if_present(None)
    with pytest.raises(IfMatchRequired):
        Precondition(if_match=None).check_if_present(1)
    with pytest.raises(PreconditionFailed):
        Precondition(if_match='"1"').check_if_present(2)
    Precondition(if_match='"2"').check_if_present(2)


def test_a_collection_write_names_its_version_when_it_replaces_or_when_sent() -> None:
    Precondition(if_match=None).check_collection(4, replaces=False)
    with pytest.raises(IfMatchRequired):
        Precondition(if_match=None).check_collection(4, replaces=True)
    with pytest.raises(PreconditionFailed):
        Precondition(if_match='"3"').check_collection(4, replaces=False)
    Precondition(if_match='"4"').check_collection(4, replaces=True)


def test_the_setting_defaults_to_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert PlatformSettings(canlian_data_dir=tmp_path).canlian_require_if_match is True
    monkeypatch.setenv("CANLIAN_REQUIRE_IF_MATCH", "false")
    assert PlatformSettings(canlian_data_dir=tmp_path).canlian_require_if_match is False


class _Runtime:
    def __init__(self, required: bool) -> None:
        self.settings = PlatformSettings(canlian_require_if_match=required)


def _app(required: bool) -> FastAPI:
    app = FastAPI()
    app.state.runtime = _Runtime(required)
    install_problem_handlers(app)
    router = APIRouter()
    state = {"version": 4}

    @router.patch("/things/{thing_id}")
    async def change_thing(thing_id: str, precondition: IfMatch) -> dict[str, Any]:
        precondition.check(state["version"])
        state["version"] += 1
        return {"version": state["version"]}

    app.include_router(router)
    return app


async def _patch(app: FastAPI, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.patch("/things/a", headers=headers)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"If-Match": '"4"'}, 200),
        ({"If-Match": "*"}, 200),
        ({"If-Match": '"3"'}, 412),
        ({}, 428),
    ],
)
async def test_the_dependency_reads_if_match(headers: dict[str, str], status: int) -> None:
    response = await _patch(_app(required=True), headers)
    assert response.status_code == status, response.text
    if status == 412:
        problem = response.json()
        assert problem["type"].endswith("/precondition-failed")
        assert problem["current_etag"] == '"4"'
        assert response.headers["etag"] == '"4"'
    if status == 428:
        assert response.json()["type"].endswith("/if-match-required")


async def test_problems_speak_english_on_request() -> None:
    response = await _patch(_app(required=True), {"Accept-Language": "en"})
    assert response.json()["title"] == "If-Match required"
    response = await _patch(_app(required=True), {})
    assert response.json()["title"] == "缺少 If-Match"


async def test_in_a_migration_period_a_missing_if_match_passes() -> None:
    app = _app(required=False)
    assert (await _patch(app, {})).status_code == 200
    assert (await _patch(app, {"If-Match": '"1"'})).status_code == 412


def test_operations_taking_if_match_document_412_and_428() -> None:
    app = _app(required=True)
    schema = document_problems(app.openapi())
    operation = schema["paths"]["/things/{thing_id}"]["patch"]
    assert {"412", "428"} <= set(operation["responses"])
    assert [p["name"] for p in operation["parameters"] if p["in"] == "header"] == ["If-Match"]
