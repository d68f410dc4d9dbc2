"""Import of a legacy card register: every row validated, then written all of it, the good rows
only, or nothing (all-or-nothing by default); one card.issued event per imported card.

A register of a province (a million rows and more) goes through in chunks as it is read: each
chunk is checked on its own in a worker thread (while the previous chunk is being written),
then against the register in a few set-based look-ups, then written with one COPY per table
(persons, cards, outbox). Everything runs in the caller's one transaction; an all-or-nothing
import that meets a bad row stops writing and is refused whole, so its transaction rolls back.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError

from canlian.cards.cards import repository as cards_repository
from canlian.cards.cards.problems import ValidCardIssuedConcurrently
from canlian.cards.context import Context
from canlian.cards.legacy_import.checks import CHUNK_ROWS, CheckedRow, Chunk, next_chunk
from canlian.cards.legacy_import.problems import EmptyRegister, ImportRejected
from canlian.cards.legacy_import.records import ChunkWrites, chunk_writes
from canlian.cards.legacy_import.rows import IMPORT_COLUMNS
from canlian.cards.persons import repository as persons_repository
from canlian.common.db.metadata import utcnow
from canlian.common.tabular_import import (
    MAX_REPORTED_ERRORS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ImportReport,
    RowError,
    SourceRow,
    read_table,
)

Progress = Callable[[str, int, int | None], None]
"""(phase, rows done, rows in all when known): "validate" on a dry run, "import" otherwise."""


@dataclass
class _Tally:
    """What the report says, gathered chunk by chunk: every count, the first errors."""

    total_rows: int = 0
    invalid: set[int] = field(default_factory=set)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    unchanged: list[int] = field(default_factory=list)
    imported: int = 0

    def add(self, chunk: Chunk) -> None:
        self.total_rows += chunk.read
        self.unchanged.extend(chunk.unchanged)
        # Chunks come in row order, so the first errors of the file are those kept.
        chunk.errors.sort(key=lambda error: (error.row, error.field))
        self.error_count += len(chunk.errors)
        self.invalid.update(error.row for error in chunk.errors)
        room = MAX_REPORTED_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(chunk.errors[:room])

    def report(self, *, dry_run: bool, imported: int) -> ImportReport:
        return ImportReport(
            total_rows=self.total_rows,
            valid_rows=self.total_rows - len(self.invalid),
            invalid_rows=len(self.invalid),
            imported_rows=imported,
            unchanged=self.unchanged,
            dry_run=dry_run,
            errors=self.errors,
            error_count=self.error_count,
        )


async def run_import(
    ctx: Context,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int | None = MAX_UPLOAD_BYTES,
) -> ImportReport:
    with _prompt_handoffs():
        return await _run_import(
            ctx,
            content,
            filename,
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            progress=progress,
            max_rows=max_rows,
            max_bytes=max_bytes,
        )


_HANDOFF_SECONDS = 0.001
_handoffs: list[float] = []  # the interval before the first import still running, per import


@contextlib.contextmanager
def _prompt_handoffs() -> Iterator[None]:
    """The interpreter's switch interval at 1 ms instead of 5 while registers are imported:
    the event loop, woken each time the socket takes more of a COPY, waits for the worker
    thread checking the next chunk to hand over the GIL. Measured through the CLI, 200,000
    rows: 26.3 s and 29.2 s at 5 ms, 21.2 s at 1 ms, 19.7 s at 0.5 ms, 25.8 s at 0.1 ms.
    Restored when the last import of the process ends."""
    original = _handoffs[0] if _handoffs else sys.getswitchinterval()
    _handoffs.append(original)
    sys.setswitchinterval(min(original, _HANDOFF_SECONDS))
    try:
        yield
    finally:
        _handoffs.pop()
        if not _handoffs:
            sys.setswitchinterval(original)


async def _run_import(
    ctx: Context,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int | None = MAX_UPLOAD_BYTES,
) -> ImportReport:
    cell_errors: list[RowError] = []
    source = read_table(
        content, filename, IMPORT_COLUMNS, cell_errors, max_rows=max_rows, max_bytes=max_bytes
    )
    today = ctx.today()
    seen: dict[str, int] = {}
    tally = _Tally()
    writing = not dry_run
    phase = "validate" if dry_run else "import"
    chunk: Chunk | None = await asyncio.to_thread(next_chunk, ctx, source, cell_errors, seen, today)
    built: ChunkWrites | None = None  # the previous chunk's records, not written yet
    ids = _Ids()
    while chunk is not None:
        rows = await _check_against_register(ctx, chunk, today)
        tally.add(chunk)
        if writing and all_or_nothing and tally.error_count:
            writing = False  # refused whole: nothing more is written, the rest rolls back
            built = None
        to_build = rows if writing else []
        await ids.assign(ctx, to_build)
        if progress:
            progress(phase, tally.total_rows, None)
        # The previous chunk is written (and ids drawn for the next) while a worker thread
        # builds this chunk's records and reads and checks the next one: the database and
        # Python work at the same time.
        more = writing and not chunk.last
        pending = asyncio.create_task(_write(ctx, built, ids if more else None)) if built else None
        try:
            built, chunk = await asyncio.to_thread(
                _build_and_read,
                ctx,
                to_build,
                None if chunk.last else (source, cell_errors, seen, today),
            )
        finally:
            if pending is not None:
                tally.imported += await pending
    if built:
        tally.imported += await _write(ctx, built, None)
    refused = not dry_run and all_or_nothing and tally.error_count > 0
    if tally.imported >= CHUNK_ROWS and not refused:
        # The tables have just grown by a register: the next import's look-ups by person
        # would otherwise be planned as whole-table scans until autovacuum's ANALYZE.
        await persons_repository.analyze_persons(ctx.session)
        await cards_repository.analyze_cards(ctx.session)
    report = tally.report(dry_run=dry_run, imported=0 if refused else tally.imported)
    if tally.total_rows == 0:
        raise EmptyRegister()
    if refused:
        raise ImportRejected(report)
    return report


def _build_and_read(
    ctx: Context,
    rows: list[CheckedRow],
    reading: tuple[Iterator[SourceRow], list[RowError], dict[str, int], date] | None,
) -> tuple[ChunkWrites | None, Chunk | None]:
    built = chunk_writes(ctx, rows, utcnow()) if rows else None
    return built, next_chunk(ctx, *reading) if reading is not None else None


async def _check_against_register(ctx: Context, chunk: Chunk, today: date) -> list[CheckedRow]:
    """The chunk's rows against the cards held: a row whose card the person has already (same
    category, grade and issue date, valid or not) is unchanged, so a register imported twice
    writes nothing the second time; a person registered in another region is refused as
    taken, nothing more (its cards are not this region's to add to, nor to reveal); one inside
    the caller's scope may not get a second valid card. Returns the rows to write."""
    if not chunk.rows:
        return []
    persons = await persons_repository.person_refs_by_indexes(
        ctx.session, [row.index for row in chunk.rows]
    )
    rows = chunk.rows
    if persons:
        recorded = await cards_repository.card_keys_of_persons(
            ctx.session, [person.id for person in persons.values()]
        )
        rows = []
        for row in chunk.rows:
            person = persons.get(row.index)
            line = row.row
            key = (
                (person.id, int(line.category), int(line.grade), line.issued_on) if person else None
            )
            if key is not None and key in recorded:
                chunk.unchanged.append(row.number)
            else:
                rows.append(row)
    known = {row.index: persons[row.index] for row in rows if row.index in persons}
    if not known:
        return rows
    elsewhere = {
        index
        for index, person in known.items()
        if not ctx.principal.covers(person.residence_division_code)
    }
    refused: set[int] = set()

    def refuse(row: CheckedRow, reason: str) -> None:
        chunk.errors.append(RowError(row=row.number, field="citizen_id", reason=reason))
        refused.add(row.number)

    for row in rows:
        if row.index in elsewhere:
            refuse(row, "该公民身份号码已在其他地区登记,请由原登记地办理证件迁移")
    still_valid = [row for row in rows if row.valid_until >= today and row.index not in elsewhere]
    if still_valid:
        holders = await cards_repository.person_ids_with_valid_cards(
            ctx.session, [person.id for person in known.values()]
        )
        for row in still_valid:
            if known.get(row.index) is not None and known[row.index].id in holders:
                refuse(row, "此人已持有有效残疾人证,不能重复导入")
    kept = [row for row in rows if row.number not in refused]
    for row in kept:
        if row.index in known:
            row.person_id = known[row.index].id
    return kept


@dataclass
class _Ids:
    """Ids drawn from the persons' and cards' sequences: for the first chunk as it needs them,
    then a chunk's worth while the previous chunk is being written, so that no draw waits.
    What the last draw leaves unused is a gap in the sequences, as a rolled-back insert
    leaves."""

    persons: list[int] = field(default_factory=list)
    cards: list[int] = field(default_factory=list)
    highest: dict[str, int] = field(default_factory=dict)  # the largest id drawn, per table

    async def draw(self, ctx: Context, persons: int, cards: int) -> None:
        self.persons += self._fresh(
            "persons",
            await persons_repository.reserve_person_ids(ctx.session, persons - len(self.persons)),
        )
        self.cards += self._fresh(
            "cards",
            await cards_repository.reserve_card_ids(ctx.session, cards - len(self.cards)),
        )

    def _fresh(self, table: str, drawn: list[int]) -> list[int]:
        """The drawn ids, or as many above every id drawn before: on SQLite a draw starts
        above the largest key written, and a chunk's ids are drawn before the previous chunk
        is written (the session holds SQLite's write lock, so no one else takes them)."""
        last = self.highest.get(table, 0)
        if drawn and min(drawn) <= last:
            drawn = list(range(last + 1, last + 1 + len(drawn)))
        if drawn:
            self.highest[table] = max(last, *drawn)
        return drawn

    async def assign(self, ctx: Context, rows: list[CheckedRow]) -> None:
        """Ids for the rows' new persons and their cards."""
        fresh = [row for row in rows if row.person_id is None]
        await self.draw(ctx, len(fresh), len(rows))
        for row, person_id in zip(fresh, self.persons, strict=False):
            row.person_id = person_id
            row.new_person = True
        for row, card_id in zip(rows, self.cards, strict=False):
            row.card_id = card_id
        del self.persons[: len(fresh)]
        del self.cards[: len(rows)]


async def _write(ctx: Context, writes: ChunkWrites, ids: _Ids | None) -> int:
    """Persons not registered yet, then one card each, then their card.issued events: three
    set-based writes; then ids for a next chunk."""
    try:
        await persons_repository.insert_persons(ctx.session, writes.persons)
        await cards_repository.insert_cards(ctx.session, writes.cards)
    except IntegrityError:
        # A request registered one of these persons or issued one a valid card meanwhile.
        raise ValidCardIssuedConcurrently() from None
    await ctx.outbox.add_prepared(ctx.session, writes.events)
    if ids is not None:
        await ids.draw(ctx, CHUNK_ROWS, CHUNK_ROWS)
    return len(writes)
