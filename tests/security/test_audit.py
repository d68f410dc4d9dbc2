"""Class 14 (audit): X-Access-Reason must be a real reason; audit rows carry the server's
request id, with the client's X-Request-ID kept beside it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.audit import ReasonRequired, valid_reason
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, runtime_of

READER = {"roles": [auth.OFFICIAL], "region": "620000000000", "scopes": [auth.PERSONAL_DATA_READ]}


@pytest.mark.parametrize(
    "reason",
    [
        "xx",
        "ab",
        "核",
        "xxxxxxxx",
        "\u200b\u200b\u200b\u200b\u200b",
        "核\u200b查",
        "核查\x00",
        "核查%00",
        "核查\n",
        "%E6%A0%B8%0A%E6%9F%A5",
        "\u202e核查原因",
        "    ",
        "%FF%FE",
        "理" * 501,
    ],
)
def test_reasons_that_say_nothing_or_hide_characters_are_refused(reason: str) -> None:
    with pytest.raises(ReasonRequired):
        valid_reason(reason)


@pytest.mark.parametrize(
    ("reason", "kept"),
    [
        ("%E6%A0%B8%E6%9F%A5", "核查"),
        ("%E6%A0%B8%E6%9F%A5%E7%94%B3%E8%AF%B7%E6%9D%90%E6%96%99", "核查申请材料"),
        ("  case 2026-118 review ", "case 2026-118 review"),
    ],
)
def test_real_reasons_pass(reason: str, kept: str) -> None:
    assert valid_reason(reason) == kept


async def test_audit_rows_carry_the_servers_request_id_and_keep_the_clients(
    client: httpx.AsyncClient, security_app: FastAPI, postgres_settings: PlatformSettings
) -> None:
    headers = {
        **bearer(postgres_settings, subject="auditor-1", **READER),  # type: ignore[arg-type]
        "X-Access-Reason": "%E6%A0%B8%E6%9F%A5",
        "X-Request-ID": "forged-id",
    }
    response = await client.get("/v1/secrets/s-1", headers=headers)
    assert response.status_code == 200, response.text
    refused = await client.get("/v1/secrets/s-1", headers={**headers, "X-Access-Reason": "xx"})
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/reason-required")
    runtime = runtime_of(security_app)
    table = runtime.tables.audit_log
    async with runtime.database.session() as session:
        rows = (await session.execute(select(table).where(table.c.actor == "auditor-1"))).all()
    assert len(rows) == 1
    assert rows[0].request_id == response.headers["X-Request-ID"] != "forged-id"
    assert rows[0].client_request_id == "forged-id"
    assert rows[0].reason == "核查"
