"""Import of a legacy card register: validate every row, then write all of it, the good rows
only, or nothing (all-or-nothing by default); one card.issued event per imported card."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from canlian.cards.cards import repository as cards_repository
from canlian.cards.cards.models import Card
from canlian.cards.cards.problems import ValidCardIssuedConcurrently
from canlian.cards.cards.service import new_card
from canlian.cards.cards.snapshot import card_snapshot
from canlian.cards.context import Context
from canlian.cards.dates import add_years
from canlian.cards.legacy_import.problems import EmptyRegister, ImportRejected
from canlian.cards.legacy_import.rows import IMPORT_COLUMNS, ImportRow
from canlian.cards.persons import repository as persons_repository
from canlian.cards.persons.models import Person
from canlian.cards.persons.service import new_person
from canlian.common import divisions
from canlian.common.events.cards import (
    CardIssued,
    CardSource,
)
from canlian.common.tabular_import import (
    ImportReport,
    RowError,
    SourceRow,
    errors_from_validation,
    read_table,
)


@dataclass
class ImportPlan:
    rows: list[tuple[int, ImportRow]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    unchanged: list[int] = field(default_factory=list)  # rows whose card is recorded already

    @property
    def invalid_row_numbers(self) -> set[int]:
        return {error.row for error in self.errors}


Progress = Callable[[str, int, int], None]


def read_register(content: bytes, filename: str) -> tuple[list[SourceRow], list[RowError]]:
    cell_errors: list[RowError] = []
    rows = list(read_table(content, filename, IMPORT_COLUMNS, cell_errors))
    return rows, cell_errors


async def plan_import(
    ctx: Context,
    source: Sequence[SourceRow],
    cell_errors: list[RowError],
    progress: Progress | None = None,
) -> ImportPlan:
    """Validate every row: shape, card number against category and grade, scope, duplicates
    in the file and against the cards already held."""
    plan = ImportPlan(errors=list(cell_errors), total_rows=len(source))
    today = ctx.today()
    seen: dict[str, int] = {}
    bad_cells = {error.row for error in cell_errors}
    flagged = {(error.row, error.field) for error in cell_errors}
    for done, row in enumerate(source, start=1):
        if progress:
            progress("validate", done, len(source))
        try:
            parsed = ImportRow.model_validate(row.values)
        except ValidationError as error:
            # A cell the reader already refused (e.g. an ID typed as a number) is reported once.
            plan.errors.extend(
                problem
                for problem in errors_from_validation(row.number, error)
                if (problem.row, problem.field) not in flagged
            )
            continue
        problems = _row_problems(ctx, parsed, today)
        if parsed.citizen_id in seen:
            problems.append(("citizen_id", f"与第 {seen[parsed.citizen_id]} 行的公民身份号码重复"))
        else:
            seen[parsed.citizen_id] = row.number
        for field_name, reason in problems:
            plan.errors.append(RowError(row=row.number, field=field_name, reason=reason))
        if not problems and row.number not in bad_cells:
            plan.rows.append((row.number, parsed))
    await _set_aside_recorded_cards(ctx, plan)
    await _check_existing_cards(ctx, plan, today)
    invalid = plan.invalid_row_numbers
    plan.rows = [(number, row) for number, row in plan.rows if number not in invalid]
    plan.errors.sort(key=lambda error: (error.row, error.field))
    return plan


def _row_problems(ctx: Context, row: ImportRow, today: date) -> list[tuple[str, str]]:
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


def _valid_until(ctx: Context, row: ImportRow) -> date:
    return row.valid_until or add_years(row.issued_on, ctx.settings.card_validity_years)


async def _set_aside_recorded_cards(ctx: Context, plan: ImportPlan) -> None:
    """A row whose card the person already has (same category, grade and issue date, valid or
    not) is unchanged: a register imported twice writes nothing the second time."""
    if not plan.rows:
        return
    persons = await persons_repository.persons_by_indexes(
        ctx.session, (ctx.pii.index(row.citizen_id) for _n, row in plan.rows)
    )
    if not persons:
        return
    recorded = await cards_repository.card_keys_of_persons(
        ctx.session, [person.id for person in persons.values()]
    )
    kept: list[tuple[int, ImportRow]] = []
    for number, row in plan.rows:
        person = persons.get(ctx.pii.index(row.citizen_id))
        key = (person.id, int(row.category), int(row.grade), row.issued_on) if person else None
        if key is not None and key in recorded:
            plan.unchanged.append(number)
        else:
            kept.append((number, row))
    plan.rows = kept


async def _check_existing_cards(ctx: Context, plan: ImportPlan, today: date) -> None:
    """Persons already registered: one of another region is refused as taken, nothing more
    (its cards are not this region's to add to, nor to reveal); one inside the caller's
    scope may not get a second valid card."""
    if not plan.rows:
        return
    persons = await persons_repository.persons_by_indexes(
        ctx.session, (ctx.pii.index(row.citizen_id) for _n, row in plan.rows)
    )
    elsewhere = {
        index
        for index, person in persons.items()
        if not ctx.principal.covers(person.residence_division_code)
    }
    for number, row in plan.rows:
        if ctx.pii.index(row.citizen_id) in elsewhere:
            plan.errors.append(
                RowError(
                    row=number,
                    field="citizen_id",
                    reason="该公民身份号码已在其他地区登记,请由原登记地办理证件迁移",
                )
            )
    still_valid = [
        (n, row)
        for n, row in plan.rows
        if _valid_until(ctx, row) >= today and ctx.pii.index(row.citizen_id) not in elsewhere
    ]
    if not still_valid:
        return
    holders = await cards_repository.person_ids_with_valid_cards(
        ctx.session, [person.id for person in persons.values()]
    )
    for number, row in still_valid:
        person = persons.get(ctx.pii.index(row.citizen_id))
        if person is not None and person.id in holders:
            plan.errors.append(
                RowError(
                    row=number, field="citizen_id", reason="此人已持有有效残疾人证,不能重复导入"
                )
            )


async def run_import(
    ctx: Context,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Progress | None = None,
) -> ImportReport:
    source, cell_errors = read_register(content, filename)
    plan = await plan_import(ctx, source, cell_errors, progress)
    invalid_rows = len(plan.invalid_row_numbers)
    write = not dry_run and (not plan.errors or not all_or_nothing)
    imported = await _write_import(ctx, plan, progress) if write else 0
    report = ImportReport(
        total_rows=plan.total_rows,
        valid_rows=plan.total_rows - invalid_rows,
        invalid_rows=invalid_rows,
        imported_rows=imported,
        unchanged=plan.unchanged,
        dry_run=dry_run,
        errors=plan.errors,
    )
    if plan.total_rows == 0:
        raise EmptyRegister()
    if not dry_run and all_or_nothing and plan.errors:
        raise ImportRejected(report)
    return report


async def _write_import(ctx: Context, plan: ImportPlan, progress: Progress | None) -> int:
    persons = await persons_repository.persons_by_indexes(
        ctx.session, (ctx.pii.index(row.citizen_id) for _n, row in plan.rows)
    )
    fresh: list[tuple[ImportRow, Person]] = []
    for _number, row in plan.rows:
        index = ctx.pii.index(row.citizen_id)
        if index not in persons:
            person = new_person(ctx.pii, row.citizen_id, row.name, row.phone, row.division_code)
            ctx.session.add(person)
            persons[index] = person
        fresh.append((row, persons[index]))
    await ctx.session.flush()
    cards: list[Card] = []
    for done, (row, person) in enumerate(fresh, start=1):
        card = new_card(
            ctx,
            person,
            category=int(row.category),
            grade=int(row.grade),
            generation=row.generation,
            issued_on=row.issued_on,
            valid_until=_valid_until(ctx, row),
            home_visit=False,
            division_code=row.division_code,
            source=CardSource.IMPORT,
        )
        ctx.session.add(card)
        cards.append(card)
        if progress:
            progress("import", done, len(fresh))
    try:
        await ctx.session.flush()
    except IntegrityError:
        raise ValidCardIssuedConcurrently() from None
    # Everything is flushed: without autoflush each outbox insert skips a scan of the whole
    # identity map, which made large registers quadratic.
    with ctx.session.no_autoflush:
        for card in cards:
            await ctx.outbox.add(ctx.session, CardIssued(**card_snapshot(card)))
    return len(cards)
