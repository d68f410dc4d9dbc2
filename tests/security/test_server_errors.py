"""Class 12 (server errors): a CSV field over 128 KiB is a row error; a cursor holding an
integer beyond 2^63 is a 422; a 500 names the real request id, in its body and its log line."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.log import JsonFormatter
from canlian.common.pagination import encode_cursor
from canlian.common.settings import PlatformSettings
from canlian.common.tabular_import import Column, RowError, read_table
from canlian.testing.services import api_client, bearer

COLUMNS = (Column("citizen_id", ("身份证号",)), Column("name", ("姓名",)))


def test_a_csv_field_over_128_kib_is_a_row_error_not_a_crash() -> None:
    content = (
        "身份证号,姓名\n"
        "11010519491231002X,张三\n"
        f'11010519491231003X,"{"长" * 200_000}"\n'
        "11010519491231004X,李四\n"
    ).encode()
    errors: list[RowError] = []
    rows = list(read_table(content, "roster.csv", COLUMNS, errors))
    assert [row.values["name"] for row in rows] == ["张三", "李四"]
    assert len(errors) == 1
    assert errors[0].row == 3
    assert "131072" in errors[0].reason


@pytest.mark.parametrize("huge", [2**63, 2**64 + 1, -(2**63) - 1, 10**40])
async def test_a_cursor_beyond_a_bigint_is_refused_not_a_500(
    embedded_app: FastAPI, embedded_settings: PlatformSettings, huge: int
) -> None:
    cursor = encode_cursor(["2026-01-01T00:00:00+00:00", huge])
    headers = bearer(embedded_settings, roles=[auth.OFFICIAL], region="620000000000")
    async with api_client(embedded_app) as client:
        response = await client.get("/v1/probes", params={"cursor": cursor}, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/invalid-cursor")


class _Lines(logging.Handler):
    """Formats at emit time, as the service's handler does (the request id is bound then)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, object]] = []
        self.formatter_ = JsonFormatter("probe")

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.formatter_.format(record)))


async def test_a_500_names_the_real_request_id_in_its_body_and_its_log_line(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    lines = _Lines()
    logger = logging.getLogger("canlian.problems")
    logger.addHandler(lines)
    try:
        response = await client.get(
            "/v1/boom", headers={**official, "X-Request-ID": "client-chosen"}
        )
    finally:
        logger.removeHandler(lines)
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    body = response.json()
    assert body["request_id"] == request_id
    assert request_id in body["detail"]
    assert "-" not in body["detail"].split()[-1]
    assert "RuntimeError" not in response.text  # no traceback reaches the caller
    logged = [line for line in lines.lines if line["message"] == "unhandled error"]
    assert len(logged) == 1
    assert logged[0]["request_id"] == request_id
    assert logged[0]["client_request_id"] == "client-chosen"
    assert "RuntimeError: a bug" in str(logged[0]["error"])
