"""Indicator answers kept per process on PostgreSQL: a repeated read is served from memory
with the same ETag, a conditional read gets 304, and every write to metrics (events, plans,
divisions, any statement through a session) makes the next read fresh; nothing kept crosses
a caller's scope, roles, language or query."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.metrics.answers import repository as answers_repository
from canlian.metrics.answers.cache import AnswerCache
from canlian.metrics.answers.serving import answer_key
from canlian.metrics.contributions import mappers
from canlian.metrics.regions import drill_down, evaluation
from canlian.metrics.rollups import denominators
from canlian.testing.services import bearer, runtime_of

from ..conftest import (
    COVERAGE,
    GANSU,
    LANZHOU,
    VILLAGE_D,
    Apply,
    by_indicator,
    create_plan,
    organisation,
)

pytestmark = pytest.mark.postgres

INDICATORS = f"/v1/regions/{GANSU}/indicators"


def answers(app: FastAPI) -> AnswerCache:
    cache: AnswerCache = app.state.answers
    return cache


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times each answer was read from the database."""
    counted = {"indicators": 0, "drill_down": 0}

    def counting(name: str, read: Callable[..., Any]) -> Callable[..., Any]:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return await read(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        evaluation, "region_indicators", counting("indicators", evaluation.region_indicators)
    )
    monkeypatch.setattr(drill_down, "drill_down", counting("drill_down", drill_down.drill_down))
    return counted


async def version_of(app: FastAPI) -> int:
    async with runtime_of(app).database.session() as session:
        return await answers_repository.version(session)


async def test_a_repeated_read_is_kept_and_a_conditional_one_gets_304(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, reads: dict[str, int]
) -> None:
    first = await client.get(INDICATORS, headers=official)
    again = await client.get(INDICATORS, headers=official)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert reads["indicators"] == 1
    assert by_indicator(first.json(), COVERAGE)["numerator"] == 3
    unchanged = await client.get(
        INDICATORS, headers={**official, "If-None-Match": first.headers["etag"]}
    )
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == first.headers["etag"]
    weak = await client.get(
        INDICATORS, headers={**official, "If-None-Match": f"W/{first.headers['etag']}"}
    )
    assert weak.status_code == 304
    other = await client.get(INDICATORS, headers={**official, "If-None-Match": '"1.0"'})
    assert other.status_code == 200
    assert other.content == first.content
    assert reads["indicators"] == 1


async def test_an_event_makes_the_next_read_fresh(
    client: httpx.AsyncClient,
    official: dict[str, str],
    gansu: None,
    apply: Apply,
    reads: dict[str, int],
) -> None:
    before = await client.get(INDICATORS, headers=official)
    children = f"/v1/regions/{GANSU}/indicators/{COVERAGE}/children"
    drilled = await client.get(children, params={"level": "county"}, headers=official)
    assert drilled.status_code == 200, drilled.text
    await apply(organisation("a4", division=VILLAGE_D))
    after = await client.get(
        INDICATORS, headers={**official, "If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert by_indicator(before.json(), COVERAGE)["numerator"] == 3
    assert by_indicator(after.json(), COVERAGE)["numerator"] == 4
    fresh = await client.get(children, params={"level": "county"}, headers=official)
    assert fresh.json() != drilled.json()
    assert reads == {"indicators": 2, "drill_down": 2}


async def test_a_plan_and_its_targets_make_the_next_read_fresh(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    params = {"plan": "gs-12th"}
    missing = await client.get(INDICATORS, params=params, headers=official)
    assert missing.status_code == 404  # no such plan yet: a problem, never kept
    await create_plan(client, official)
    planned = await client.get(INDICATORS, params=params, headers=official)
    assert by_indicator(planned.json(), COVERAGE)["target"]["value"] == 100.0
    targets = {
        "targets": [{"indicator": COVERAGE, "region": GANSU, "comparator": "ge", "final_value": 80}]
    }
    changed = await client.put(
        "/v1/plans/gs-12th/targets", json=targets, headers={**official, "If-Match": "*"}
    )
    assert changed.status_code == 200, changed.text
    again = await client.get(INDICATORS, params=params, headers=official)
    assert by_indicator(again.json(), COVERAGE)["target"]["value"] == 80.0


async def test_loading_divisions_or_any_statement_moves_the_version(
    rollback: FastAPI, gansu: None
) -> None:
    database = runtime_of(rollback).database
    start = await version_of(rollback)
    async with database.session() as session:
        await denominators.load_divisions(
            session, [mappers.DivisionRow("620103001004", "六社区", 5, "620103001000")]
        )
    loaded = await version_of(rollback)
    assert loaded > start
    async with database.session() as session:
        await session.execute(
            text("UPDATE metrics.divisions SET name = '六村' WHERE code = '620103001004'")
        )
    assert await version_of(rollback) > loaded
    moved = await version_of(rollback)
    async with database.session() as session:
        await session.execute(text("SELECT count(*) FROM metrics.divisions"))
    assert await version_of(rollback) == moved  # a read moves nothing


async def _delete_then_fail(app: FastAPI) -> None:
    async with runtime_of(app).database.session() as session:
        await session.execute(text("DELETE FROM metrics.divisions WHERE level = 5"))
        raise RuntimeError("refused")


async def test_a_unit_of_work_rolled_back_leaves_the_version(
    rollback: FastAPI, gansu: None
) -> None:
    before = await version_of(rollback)
    with pytest.raises(RuntimeError):
        await _delete_then_fail(rollback)
    assert await version_of(rollback) == before


async def test_no_answer_crosses_a_scope(
    client: httpx.AsyncClient,
    official: dict[str, str],
    postgres_settings: PlatformSettings,
    gansu: None,
    rollback: FastAPI,
) -> None:
    kept = await client.get(INDICATORS, headers=official)
    assert kept.status_code == 200
    lanzhou = bearer(postgres_settings, roles=[auth.OFFICIAL], region=LANZHOU, subject="lz")
    outside = await client.get(INDICATORS, headers=lanzhou)
    assert outside.status_code in (403, 404)
    assert "etag" not in outside.headers
    refused = await client.get(
        INDICATORS, headers={**lanzhou, "If-None-Match": kept.headers["etag"]}
    )
    assert refused.status_code in (403, 404)
    assert len(answers(rollback)) == 1
    nation = bearer(postgres_settings, roles=[auth.OFFICIAL], region="000000000000")
    wider = await client.get(INDICATORS, headers=nation)
    assert wider.status_code == 200
    assert wider.headers["etag"] != kept.headers["etag"]
    assert len(answers(rollback)) == 2


def test_the_key_holds_region_roles_scopes_language_and_query() -> None:
    from starlette.requests import Request

    def request(query: bytes, language: str = "zh-CN") -> Request:
        return Request(
            {
                "type": "http",
                "method": "GET",
                "path": INDICATORS,
                "query_string": query,
                "headers": [(b"accept-language", language.encode())],
            }
        )

    official = auth.Principal(subject="a", roles=frozenset({auth.OFFICIAL}), region=GANSU)
    keys = {
        answer_key(request(b"plan=x"), official),
        answer_key(request(b"plan=y"), official),
        answer_key(request(b"plan=x", "en"), official),
        answer_key(request(b"plan=x"), auth.Principal("a", frozenset({auth.ADMIN}), GANSU)),
        answer_key(request(b"plan=x"), auth.Principal("a", official.roles, "000000000000")),
        answer_key(
            request(b"plan=x"),
            auth.Principal("a", official.roles, GANSU, scopes=frozenset({"metrics:read"})),
        ),
    }
    assert len(keys) == 6
    # The same question in another order or by another person of the same standing is one.
    assert answer_key(request(b"a=1&b=2"), official) == answer_key(request(b"b=2&a=1"), official)
    assert answer_key(request(b"plan=x"), official) == answer_key(
        request(b"plan=x"), auth.Principal("b", official.roles, GANSU)
    )
