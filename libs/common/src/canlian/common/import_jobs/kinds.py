"""What a service registers for each of its imports, and what one run of a job gets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.tabular_import import ImportReport

if TYPE_CHECKING:
    from canlian.common.runtime import ServiceRuntime

Progress = Callable[[str, int, int | None], None]
"""(phase, done, total or None): the importers' own progress callback."""


@dataclass(frozen=True)
class ImportRun:
    """One run of a job: who started it, the upload, the route's options (dry_run,
    all_or_nothing) and where to report progress."""

    job_id: str
    principal: Principal
    content: bytes
    filename: str
    options: Mapping[str, Any]
    progress: Progress

    def flag(self, name: str, default: bool) -> bool:
        value = self.options.get(name, default)
        return value if isinstance(value, bool) else default


ImportRunner = Callable[[AsyncSession, "ServiceRuntime", ImportRun], Awaitable[ImportReport]]


@dataclass(frozen=True)
class ImportKind:
    """An import a service runs in the background: its name (the job's `kind`), the function
    that runs it in the session it is given (the same code as the synchronous route), and
    the phases its progress callback reports in turn, each counting from 0 to its total
    (none: the callback counts the file's rows)."""

    name: str
    run: ImportRunner
    phases: tuple[str, ...] = ()


class ProgressTracker:
    """The importer's callbacks turned into rows done out of rows in all, never going back.

    With phases, rows done is the share of the work done (phases weigh alike) times the rows;
    without, the rows the importer says it has read. It stays below the total until the run
    ends: 100% means finished."""

    def __init__(self, rows_total: int | None, phases: tuple[str, ...] = ()) -> None:
        self.rows_total = rows_total
        self.rows_done = 0
        self._phases = phases

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if total is not None and phase in self._phases:
            share = (self._phases.index(phase) + min(done, total) / max(total, 1)) / len(
                self._phases
            )
            value = int(share * (self.rows_total or 0))
        elif total is None:
            value = done
            if self.rows_total is not None and value > self.rows_total:
                self.rows_total = value  # the estimate was short
        else:
            return
        if self.rows_total is not None:
            value = min(value, max(self.rows_total - 1, 0))
        self.rows_done = max(self.rows_done, value)

    def finish(self, rows_total: int) -> None:
        self.rows_total = rows_total
        self.rows_done = rows_total


def percent(rows_done: int, rows_total: int | None, finished: bool) -> float:
    if finished:
        return 100.0
    if not rows_total:
        return 0.0
    # Every row read is not every row written: 100 means the report is there.
    return min(round(rows_done / rows_total * 100, 1), 99.9)
