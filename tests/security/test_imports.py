"""Class 4, kit part (a small spreadsheet freezes a service): rows are capped (50,000, a
setting), a report lists the first 1,000 errors with the counts of all, and reading and
validating run in a worker thread while the event loop serves other requests."""

from __future__ import annotations

import asyncio
import io
import itertools
import time

import pytest
from openpyxl import Workbook
from pydantic import BaseModel, Field

from canlian.common.settings import PlatformSettings
from canlian.common.tabular_import import (
    MAX_REPORTED_ERRORS,
    MAX_ROWS,
    Column,
    ImportReport,
    RowError,
    TooManyRows,
    read_table,
    read_table_in_thread,
    validate_rows_in_thread,
)

COLUMNS = (Column("name", ("姓名",)), Column("phone", ("电话",)))


def _csv(rows: int) -> bytes:
    return ("姓名,电话\n" + "张三,13812345678\n" * rows).encode()


def _xlsx(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["姓名", "电话"])
    for _ in range(rows):
        sheet.append(["张三", "13812345678"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_rows_are_capped_at_50_000_by_default_and_the_cap_is_a_setting() -> None:
    assert MAX_ROWS == 50_000
    assert PlatformSettings().canlian_import_max_rows == 50_000
    started = time.perf_counter()
    with pytest.raises(TooManyRows) as refused:
        list(read_table(_csv(200_000), "big.csv", COLUMNS, []))
    assert "50,000" in str(refused.value.render_detail("zh"))
    assert time.perf_counter() - started < 10
    assert len(list(read_table(_csv(50_000), "ok.csv", COLUMNS, []))) == 50_000


def test_a_small_xlsx_of_many_rows_stops_at_the_cap() -> None:
    content = _xlsx(2_001)
    assert len(content) < 100_000
    with pytest.raises(TooManyRows):
        list(read_table(content, "roster.xlsx", COLUMNS, [], max_rows=2_000))
    assert len(list(read_table(content, "roster.xlsx", COLUMNS, [], max_rows=2_001))) == 2_001


def test_a_report_lists_the_first_1000_errors_and_counts_them_all() -> None:
    errors = [RowError(row=n, field="phone", reason="格式不正确") for n in range(2, 5_002)]
    report = ImportReport(
        total_rows=5_000, valid_rows=0, invalid_rows=5_000, imported_rows=0, dry_run=True,
        errors=errors,
    )  # fmt: skip
    assert MAX_REPORTED_ERRORS == 1_000
    assert len(report.errors) == 1_000
    assert report.errors[0].row == 2
    assert report.error_count == 5_000
    assert report.errors_truncated is True
    small = ImportReport(
        total_rows=1, valid_rows=0, invalid_rows=1, imported_rows=0, dry_run=True,
        errors=errors[:1],
    )  # fmt: skip
    assert (small.error_count, small.errors_truncated) == (1, False)


class Row(BaseModel):
    name: str = Field(min_length=1)
    phone: str = Field(pattern=r"^1[3-9]\d{9}$")


async def test_reading_and_validating_leave_the_event_loop_free() -> None:
    content = _csv(40_000).replace(b"13812345678\n", b"bad\n", 10)
    beats: list[float] = []
    done = asyncio.Event()

    async def heartbeat() -> None:
        while not done.is_set():
            beats.append(time.perf_counter())
            await asyncio.sleep(0.005)

    beating = asyncio.create_task(heartbeat())
    started = time.perf_counter()
    rows, cell_errors = await read_table_in_thread(content, "roster.csv", COLUMNS)
    valid, errors = await validate_rows_in_thread(rows, Row)
    elapsed = time.perf_counter() - started
    done.set()
    await beating
    assert (len(rows), len(valid), len(errors), cell_errors) == (40_000, 39_990, 10, [])
    assert errors[0].row == 2
    # The loop kept turning while the rows were read and validated: no pause anywhere near
    # the whole work (inline, the loop stops for all of it).
    gaps = [later - earlier for earlier, later in itertools.pairwise(beats)]
    assert len(beats) >= 5
    assert max(gaps) < elapsed * 0.6
