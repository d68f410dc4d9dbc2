"""Writing exports that open in Excel or WPS without running what officials typed.

A name that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to a
spreadsheet (CSV/formula injection, OWASP): `=HYPERLINK(...)` in a roster exfiltrates the
row when clicked. Every writer of an `.xlsx` or `.csv` goes through these:

- xlsx: `append_row(sheet, values)` instead of `sheet.append(values)` stores such strings as
  cells typed as text (openpyxl otherwise stores any string starting with `=` as a
  formula), and `safe_xlsx_cell(cell)` does it for a cell written by coordinates.
- CSV: `csv_safe(value)` / `csv_row(values)` prefix such fields with a single quote, as
  OWASP advises, and `SafeCsvWriter` wraps `csv.writer`. Numbers stay numbers (a negative
  count is not a formula).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_formula_like(value: object) -> bool:
    """A string a spreadsheet would read as a formula (plain numbers aside)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def csv_safe(value: Any) -> Any:
    """A CSV field that no spreadsheet evaluates: formula-like text gets a leading `'`."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_safe(value) for value in values]


class SafeCsvWriter:
    """`csv.writer` whose rows are made safe first (`writerow`, `writerows`)."""

    def __init__(self, handle: Any, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_xlsx_cell(cell: Any) -> Any:
    """A cell written by coordinates: if openpyxl took its text for a formula, make it text."""
    if getattr(cell, "data_type", None) == "f" and is_formula_like(cell.value):
        cell.data_type = "s"
    return cell


def append_row(worksheet: Any, values: Sequence[Any]) -> None:
    """`worksheet.append(values)` with formula-like strings stored as text, for ordinary
    and write-only worksheets alike."""
    from openpyxl.cell import WriteOnlyCell

    row: list[Any] = []
    for value in values:
        if is_formula_like(value):
            cell = WriteOnlyCell(worksheet, value=None)
            cell._value = str(value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    worksheet.append(row)
