"""Bulk import of a legacy card register through the API (CSV and Excel), on PostgreSQL."""

import csv
import io
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import func, select

from canlian.cards.cards.models import Card
from canlian.common.events.base import CloudEvent
from canlian.testing.services import runtime_of
from tests.cards.conftest import Desk, make_citizen_id

pytestmark = pytest.mark.postgres

TWO_YEARS_AGO = (date.today() - timedelta(days=730)).isoformat()
HEADER = ["公民身份号码", "姓名", "残疾人证号", "残疾类别", "残疾等级", "发证日期", "区划代码"]


def _row(sequence: int, category: int = 4, grade: int = 2, **changes: str) -> list[str]:
    number = make_citizen_id(sequence)
    row = {
        "id": number,
        "name": "李四",
        "card": f"{number}{category}{grade}",
        "category": str(category),
        "grade": str(grade),
        "issued": TWO_YEARS_AGO,
        "division": "620102003004",
    }
    row.update(changes)
    return list(row.values())


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


async def _upload(
    desk: Desk, content: bytes, name: str = "register.csv", **params: str
) -> httpx.Response:
    return await desk.client.post(
        "/v1/imports/cards",
        files={"file": (name, content, "text/csv")},
        params=params,
        headers=desk.headers,
    )


async def _cards(app: FastAPI) -> int:
    async with runtime_of(app).database.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Card).where(Card.division_code.startswith("620102"))
        )
    return int(count or 0)


def _bad_rows() -> list[list[str]]:
    good = make_citizen_id(203)
    return [
        _row(201),
        _row(202, category=8, grade=0, card=make_citizen_id(202) + "80"),
        _row(203, id=good[:17] + ("1" if good[17] == "0" else "0")),
        _row(204, card=make_citizen_id(204) + "43"),
        _row(205, division="330604000000"),
        _row(201),
    ]


async def test_a_register_with_errors_is_refused_whole_with_a_report_by_row(
    desk: Desk, cards_app: FastAPI
) -> None:
    response = await _upload(desk, _csv(_bad_rows()))
    assert response.status_code == 422
    for row in _bad_rows():
        assert row[0] not in response.text  # the report names rows, never the IDs in them
    problem = response.json()
    assert problem["type"].endswith("/import-rejected")
    report = problem["report"]
    assert (report["total_rows"], report["invalid_rows"], report["imported_rows"]) == (6, 5, 0)
    by_row: dict[int, set[str]] = {}
    for error in report["errors"]:
        by_row.setdefault(error["row"], set()).add(error["field"])
    assert by_row == {
        3: {"category", "grade"},
        4: {"citizen_id"},
        5: {"card_number"},
        6: {"division_code"},
        7: {"citizen_id"},
    }
    reasons = {(e["row"], e["field"]): e["reason"] for e in report["errors"]}
    assert "校验码" in reasons[(4, "citizen_id")]
    assert "末两位 43" in reasons[(5, "card_number")]
    assert "第 2 行" in reasons[(7, "citizen_id")]
    assert await _cards(cards_app) == 0


async def test_dry_run_reports_and_writes_nothing(desk: Desk, cards_app: FastAPI) -> None:
    response = await _upload(desk, _csv([_row(210), _row(211)]), dry_run="true")
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert (response.json()["valid_rows"], response.json()["imported_rows"]) == (2, 0)
    assert await _cards(cards_app) == 0


async def test_partial_import_writes_the_good_rows_only(desk: Desk, cards_app: FastAPI) -> None:
    response = await _upload(desk, _csv(_bad_rows()), all_or_nothing="false")
    assert response.status_code == 201
    assert response.json()["imported_rows"] == 1
    assert await _cards(cards_app) == 1


async def test_a_good_register_is_imported_with_events_and_a_second_run_changes_nothing(
    desk: Desk, cards_app: FastAPI, client: httpx.AsyncClient
) -> None:
    rows = [_row(220), _row(221, category=1, grade=1), _row(222, issued="2010-01-01")]
    response = await _upload(desk, _csv(rows))
    assert response.status_code == 201, response.text
    assert response.json()["imported_rows"] == 3
    cards = (await desk.client.get("/v1/cards", headers=desk.headers)).json()["items"]
    assert sorted((card["status"], card["source"]) for card in cards) == [
        ("expired", "import"),
        ("valid", "import"),
        ("valid", "import"),
    ]
    old = next(card for card in cards if card["issued_on"] == "2010-01-01")
    assert old["valid_until"] == "2020-01-01"
    runtime = runtime_of(cards_app)
    async with runtime.database.session() as session:
        envelopes = (await session.scalars(select(runtime.tables.outbox.c.envelope))).all()
    events = [CloudEvent.model_validate_json(envelope) for envelope in envelopes]
    assert [event.type for event in events] == ["cn.canlian.cards.card.issued"] * 3
    assert all(event.data["source"] == "import" for event in events)
    # Each card states its own date, for history by business date: valid ones their issue
    # date, the expired one the day after its validity.
    assert sorted(event.data["effective_on"] for event in events) == sorted(
        ["2020-01-02", TWO_YEARS_AGO, TWO_YEARS_AGO]
    )
    # The same register again: every row is recorded already, the expired one included, so
    # nothing is written and no event is announced.
    again = await _upload(desk, _csv(rows))
    assert again.status_code == 201, again.text
    report = again.json()
    assert (report["imported_rows"], report["unchanged_rows"], report["errors"]) == (0, 3, [])
    assert report["unchanged"] == [2, 3, 4]
    assert await _cards(cards_app) == 3
    async with runtime.database.session() as session:
        count = await session.scalar(select(func.count()).select_from(runtime.tables.outbox))
    assert count == 3


async def test_a_new_card_for_a_holder_of_a_valid_one_is_still_refused(desk: Desk) -> None:
    assert (await _upload(desk, _csv([_row(225)]))).status_code == 201
    other = await _upload(desk, _csv([_row(225, category=1, grade=1)]))
    assert other.status_code == 422
    fields = {(e["row"], e["field"]) for e in other.json()["report"]["errors"]}
    assert fields == {(2, "citizen_id")}


async def test_dates_as_officials_type_them_blank_rows_and_a_totals_footer(
    desk: Desk, cards_app: FastAPI
) -> None:
    rows = [
        _row(226, issued="2019年5月1日"),
        ["", "", "", "", "", "", ""],
        _row(227, issued="2019/5/1"),
        _row(228, issued="2019.5.1"),
        ["合计", "3 人", "", "", "", "", ""],
    ]
    response = await _upload(desk, _csv(rows))
    assert response.status_code == 201, response.text
    assert (response.json()["total_rows"], response.json()["imported_rows"]) == (3, 3)
    cards = (await desk.client.get("/v1/cards", headers=desk.headers)).json()["items"]
    assert {card["issued_on"] for card in cards} == {"2019-05-01"}


async def test_excel_date_cells_are_read_as_dates(desk: Desk) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    number = make_citizen_id(229)
    sheet.append([number, "周五", f"{number}42", "4", "2", date(2019, 5, 1), "620102"])
    sheet.append(["合计", None, None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = await _upload(desk, buffer.getvalue(), name="台账.xlsx")
    assert response.status_code == 201, response.text
    assert response.json()["imported_rows"] == 1
    cards = (await desk.client.get("/v1/cards", headers=desk.headers)).json()["items"]
    assert [card["issued_on"] for card in cards] == ["2019-05-01"]


async def test_an_excel_register_with_chinese_names_for_category_grade_and_generation(
    desk: Desk,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([*HEADER, "证件类型"])
    number = make_citizen_id(230)
    sheet.append(
        [number, "周五", f"{number}42", "肢体残疾", "二级", TWO_YEARS_AGO, "620102", "智能化"]
    )
    numeric = make_citizen_id(231)
    sheet.append(
        [int(numeric[:17] + "0"), "吴六", f"{numeric}42", "4", "2", TWO_YEARS_AGO, "620102"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = await _upload(desk, buffer.getvalue(), name="台账.xlsx", all_or_nothing="false")
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["imported_rows"] == 1
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "citizen_id")]
    assert "文本" in report["errors"][0]["reason"]
    cards = (await desk.client.get("/v1/cards", headers=desk.headers)).json()["items"]
    assert [(c["category"], c["grade"], c["generation"]) for c in cards] == [(4, 2, "smart")]


async def test_unreadable_files_and_missing_columns_are_explained(desk: Desk) -> None:
    missing = await _upload(desk, "公民身份号码,姓名\n".encode())
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/missing-columns")
    assert "残疾人证号" in missing.json()["detail"]
    empty = await _upload(desk, _csv([]))
    assert empty.status_code == 422
    assert empty.json()["type"].endswith("/empty-register")
    damaged = await _upload(desk, b"PK\x03\x04garbage", name="x.xlsx")
    assert damaged.status_code == 422
    assert damaged.json()["type"].endswith("/table-unreadable")


async def test_a_retried_upload_with_the_same_key_is_imported_once(
    desk: Desk, cards_app: FastAPI
) -> None:
    content = _csv([_row(240), _row(241)])
    key = {"Idempotency-Key": "register-2026-11"}
    responses = []
    for _attempt in range(2):
        # httpx draws a new multipart boundary for every request, as a retrying client does.
        responses.append(
            await desk.client.post(
                "/v1/imports/cards",
                files={"file": ("register.csv", content, "text/csv")},
                headers={**desk.headers, **key},
            )
        )
    first, retry = responses
    assert first.status_code == retry.status_code == 201
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert await _cards(cards_app) == 2
    other_file = await desk.client.post(
        "/v1/imports/cards",
        files={"file": ("register.csv", _csv([_row(242)]), "text/csv")},
        headers={**desk.headers, **key},
    )
    assert other_file.status_code == 422
    assert other_file.json()["type"].endswith("/idempotency-key-reused")
