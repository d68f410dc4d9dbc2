"""The shared HTTP kit on a real PostgreSQL: problems, auth and scope, idempotency, paging."""

import logging
import uuid

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.testing.probe.models import Probe
from canlian.testing.services import bearer, runtime_of

pytestmark = pytest.mark.postgres

GANSU = "620000000000"
LANZHOU_CHENGGUAN = "620102000000"


@pytest.fixture
def official(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=GANSU)


async def test_missing_token_is_a_localised_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/probes")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "需要登录"
    english = await client.get("/v1/probes", headers={"Accept-Language": "en"})
    assert english.json()["title"] == "Authentication required"
    assert english.json()["type"].endswith("/unauthenticated")


async def test_forged_token_is_refused(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    header = bearer(postgres_settings)
    forged = header["Authorization"][:-4] + "AAAA"
    response = await client.get("/v1/probes", headers={"Authorization": forged})
    assert response.status_code == 401
    assert response.json()["type"].endswith("/token-invalid")


async def test_wrong_role_is_403(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    volunteer = bearer(postgres_settings, roles=[auth.VOLUNTEER], region=GANSU)
    response = await client.get("/v1/probes", headers=volunteer)
    assert response.status_code == 403
    assert "official" in response.json()["detail"]


async def test_validation_errors_name_fields_in_both_languages(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    body = {"region": "62010200300a", "label": "", "citizen_id": "110105194912310021"}
    response = await client.post("/v1/probes", json=body, headers=official)
    assert response.status_code == 422
    problem = response.json()
    fields = {error["field"]: error for error in problem["errors"]}
    assert set(fields) == {"body.region", "body.label", "body.citizen_id"}
    assert "校验码" in fields["body.citizen_id"]["message"]
    assert "区划代码无效" in fields["body.region"]["message"]
    english = await client.post(
        "/v1/probes", json=body, headers={**official, "Accept-Language": "en"}
    )
    assert (
        "check digit"
        in {e["field"]: e for e in english.json()["errors"]}["body.citizen_id"]["message"]
    )


async def test_malformed_json_is_422_not_500(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/probes", content=b"{not json", headers={**official, "content-type": "application/json"}
    )
    assert response.status_code == 422


async def test_writes_outside_the_region_scope_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings, probe_app: object
) -> None:
    county = bearer(postgres_settings, region=LANZHOU_CHENGGUAN)
    response = await client.post(
        "/v1/probes", json={"region": "330604000000", "label": "x"}, headers=county
    )
    assert response.status_code == 403
    async with runtime_of(probe_app).database.session() as session:  # type: ignore[arg-type]
        assert await session.scalar(select(func.count()).select_from(Probe)) == 0


async def test_objects_outside_the_scope_look_absent(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings, official: dict[str, str]
) -> None:
    created = await client.post(
        "/v1/probes", json={"region": "620102003004", "label": "a"}, headers=official
    )
    probe_id = created.json()["id"]
    other_county = bearer(postgres_settings, region="620103000000")
    response = await client.get(f"/v1/probes/{probe_id}", headers=other_county)
    assert response.status_code == 404
    own_county = bearer(postgres_settings, region=LANZHOU_CHENGGUAN)
    assert (await client.get(f"/v1/probes/{probe_id}", headers=own_county)).status_code == 200


async def test_idempotency_key_replays_the_same_response_once(
    client: httpx.AsyncClient, official: dict[str, str], probe_app: object
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"region": "620102003004", "label": "retry"}
    first = await client.post("/v1/probes", json=body, headers={**official, **key})
    second = await client.post("/v1/probes", json=body, headers={**official, **key})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    async with runtime_of(probe_app).database.session() as session:  # type: ignore[arg-type]
        count = await session.scalar(
            select(func.count()).select_from(Probe).where(Probe.label == "retry")
        )
    assert count == 1
    reused = await client.post(
        "/v1/probes", json={**body, "label": "other"}, headers={**official, **key}
    )
    assert reused.status_code == 422
    assert reused.json()["type"].endswith("/idempotency-key-reused")


async def test_cursor_pagination_walks_every_row_once_in_a_stable_order(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    for _number in range(7):
        await client.post(
            "/v1/probes", json={"region": "620102003004", "label": "page"}, headers=official
        )
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": "3", "label": "page", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/probes", params=params, headers=official)).json()
        assert len(page["items"]) <= 3
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7
    assert seen == sorted(seen)


async def test_page_size_is_capped_and_bad_cursors_are_explained(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    too_big = await client.get("/v1/probes", params={"limit": "1000"}, headers=official)
    assert too_big.status_code == 422
    bad = await client.get("/v1/probes", params={"cursor": "garbage"}, headers=official)
    assert bad.status_code == 422
    assert bad.json()["type"].endswith("/invalid-cursor")


async def test_every_response_carries_a_request_id_of_the_servers_making(
    client: httpx.AsyncClient,
) -> None:
    # The client's X-Request-ID is kept beside the server's id (logs, audit), never taken for it.
    for sent in ({}, {"X-Request-ID": "abc-123"}, {"X-Request-ID": "x" * 65}):
        fresh = (await client.get("/healthz", headers=sent)).headers["X-Request-ID"]
        assert len(fresh) == 32
        assert int(fresh, 16) >= 0
    problem = await client.get("/v1/probes", headers={"X-Request-ID": "req-401"})
    assert problem.status_code == 401
    assert problem.headers["X-Request-ID"] != "req-401"
    assert problem.json()["request_id"] == problem.headers["X-Request-ID"]


async def test_requests_are_counted_and_logged_by_route_template(
    client: httpx.AsyncClient, official: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    def served(route: str, status: str) -> float:
        value = REGISTRY.get_sample_value(
            "canlian_http_requests_total",
            {"service": "probe", "method": "GET", "route": route, "status": status},
        )
        return value or 0.0

    before = served("/v1/probes/{probe_id}", "404"), served("unmatched", "404")
    with caplog.at_level(logging.INFO, logger="canlian.access"):
        assert (await client.get("/v1/probes/987654", headers=official)).status_code == 404
        assert (await client.get("/nowhere/620102199001011234")).status_code == 404
    assert served("/v1/probes/{probe_id}", "404") == before[0] + 1
    assert served("unmatched", "404") == before[1] + 1
    logged = [record.getMessage() for record in caplog.records if record.name == "canlian.access"]
    assert logged == ["GET /v1/probes/{probe_id} 404", "GET unmatched 404"]


async def test_unmasked_reads_take_percent_encoded_chinese_reasons_and_are_audited(
    probe_app: object, postgres_settings: PlatformSettings
) -> None:
    from urllib.parse import quote

    from canlian.common.audit import ReasonRequired, record_unmasked_read
    from canlian.common.errors import MissingScope

    runtime = runtime_of(probe_app)  # type: ignore[arg-type]
    allowed = auth.Principal(
        "auditor", frozenset({auth.OFFICIAL}), GANSU, frozenset({auth.PERSONAL_DATA_READ})
    )
    plain = auth.Principal("clerk", frozenset({auth.OFFICIAL}), GANSU)
    async with runtime.database.session() as session:
        with pytest.raises(MissingScope):
            await record_unmasked_read(
                session, runtime.tables, plain, object_type="probe", object_id="1", reason="核查"
            )
        with pytest.raises(ReasonRequired):
            await record_unmasked_read(
                session, runtime.tables, allowed, object_type="probe", object_id="1", reason=" "
            )
        await record_unmasked_read(
            session,
            runtime.tables,
            allowed,
            object_type="probe",
            object_id="1",
            reason=quote("核查身份"),
        )
        rows = (
            await session.execute(
                select(runtime.tables.audit_log.c.actor, runtime.tables.audit_log.c.reason)
            )
        ).all()
        await session.rollback()
    assert rows == [("auditor", "核查身份")]


async def test_values_the_database_refuses_are_422_not_500(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/probes", json={"region": "620102003004", "label": "a\u0000b"}, headers=official
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/value-refused")
