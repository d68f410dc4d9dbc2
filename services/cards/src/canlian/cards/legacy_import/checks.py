"""The checks a register row passes on its own (shape, card number against category and grade,
dates, scope, a citizen ID twice in the file), a chunk of rows at a time. Pure computation on
plain values, so that it runs in a worker thread while the previous chunk is being written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from pydantic import ValidationError

from canlian.cards.context import Context
from canlian.cards.dates import add_years
from canlian.cards.legacy_import.rows import ImportRow
from canlian.common import divisions
from canlian.common.events.cards import CardStatus
from canlian.common.tabular_import import RowError, SourceRow, errors_from_validation

CHUNK_ROWS = 10_000
"""Rows read, checked and written together: one look-up per table and one COPY per table."""


@dataclass
class CheckedRow:
    """A row that passed its own checks, with the citizen ID's keyed hash, and once it is to
    be written the ids of its person and card."""

    number: int
    row: ImportRow
    index: str
    valid_until: date
    status: CardStatus
    person_id: int | None = None  # the registered person, or the new one's id
    new_person: bool = False
    card_id: int = 0


@dataclass
class Chunk:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    read: int = 0  # data rows read
    last: bool = False


def next_chunk(
    ctx: Context,
    source: Iterator[SourceRow],
    cell_errors: list[RowError],
    seen: dict[str, int],
    today: date,
) -> Chunk:
    """Read the next rows of the register and check each on its own; `seen` (citizen ID ->
    first row) spans the whole file. `cell_errors` is the reader's list: the problems it has
    appended for these rows are taken out of it."""
    lines = list(islice(source, CHUNK_ROWS))
    chunk = Chunk(errors=list(cell_errors), read=len(lines), last=len(lines) < CHUNK_ROWS)
    cell_errors.clear()
    bad_cells = {error.row for error in chunk.errors}
    flagged = {(error.row, error.field) for error in chunk.errors}
    pii = ctx.pii
    for line in lines:
        try:
            parsed = ImportRow.model_validate(line.values)
        except ValidationError as error:
            # A cell the reader already refused (e.g. an ID typed as a number) is reported once.
            chunk.errors.extend(
                problem
                for problem in errors_from_validation(line.number, error)
                if (problem.row, problem.field) not in flagged
            )
            continue
        problems = row_problems(ctx, parsed, today)
        if parsed.citizen_id in seen:
            problems.append(("citizen_id", f"与第 {seen[parsed.citizen_id]} 行的公民身份号码重复"))
        else:
            seen[parsed.citizen_id] = line.number
        for field_name, reason in problems:
            chunk.errors.append(RowError(row=line.number, field=field_name, reason=reason))
        if problems or line.number in bad_cells:
            continue
        valid_until = parsed.valid_until or add_years(
            parsed.issued_on, ctx.settings.card_validity_years
        )
        chunk.rows.append(
            CheckedRow(
                line.number,
                parsed,
                pii.index(parsed.citizen_id),
                valid_until,
                CardStatus.VALID if valid_until >= today else CardStatus.EXPIRED,
            )
        )
    return chunk


def row_problems(ctx: Context, row: ImportRow, today: date) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    number = row.card_number.strip().upper()
    if number[:18] != row.citizen_id:
        problems.append(("card_number", "证号前18位与公民身份号码不一致"))
    elif number[18:] != f"{int(row.category)}{int(row.grade)}":
        problems.append(
            (
                "card_number",
                f"证号末两位 {number[18:]} 与残疾类别 {int(row.category)}、"
                f"等级 {int(row.grade)} 不符",
            )
        )
    if row.issued_on > today:
        problems.append(("issued_on", "发证日期不能晚于今天"))
    if row.valid_until is not None and row.valid_until <= row.issued_on:
        problems.append(("valid_until", "有效期至应晚于发证日期"))
    if divisions.level_of(row.division_code) < divisions.DivisionLevel.COUNTY:
        problems.append(("division_code", f"区划 {row.division_code} 应为县级或更细的区划代码"))
    elif not ctx.principal.covers(row.division_code):
        problems.append(
            (
                "division_code",
                f"区划 {row.division_code} 不在您的管辖范围 {ctx.principal.region} 内",
            )
        )
    return problems
