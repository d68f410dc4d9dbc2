"""Choosing the background: the Prefer header as RFC 7240 writes it, and the row estimate
that sends a large upload there unasked."""

import io

import pytest
from openpyxl import Workbook

from canlian.common.import_jobs.accepting import estimate_rows, prefers_async


@pytest.mark.parametrize(
    ("header", "wanted"),
    [
        ("respond-async", True),
        ("Respond-Async", True),
        ("wait=10, respond-async", True),
        ("respond-async; foo=bar", True),
        ("handling=lenient,respond-async=", True),
        ("wait=10", False),
        ("respond-asynchronously", False),
        ("", False),
        (None, False),
    ],
)
def test_the_respond_async_preference_is_read_among_others(
    header: str | None, wanted: bool
) -> None:
    assert prefers_async(header) is wanted


def test_a_csv_is_estimated_by_its_lines() -> None:
    assert estimate_rows("姓名,电话\n张三,1\n李四,2\n".encode(), "a.csv") == 2
    assert estimate_rows(b"name\nx\ny", "a.csv") == 2  # no final line break
    assert estimate_rows(b"", "a.csv") == 0


def test_an_xlsx_is_estimated_by_its_sheets_dimension() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "电话"])
    for number in range(1_234):
        sheet.append(["张三", str(number)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert estimate_rows(buffer.getvalue(), "roster.xlsx") == 1_234


def test_a_damaged_xlsx_is_estimated_as_empty_for_the_import_to_refuse() -> None:
    assert estimate_rows(b"PK\x03\x04 broken", "roster.xlsx") == 0
