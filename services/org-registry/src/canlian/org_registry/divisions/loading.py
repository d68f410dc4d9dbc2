"""Loading the NBS dataset into the registry, batch by batch, without touching recorded
history (`canlian divisions load`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import utcnow
from canlian.common.events.org_registry import DivisionChangeKind
from canlian.org_registry.divisions import repository
from canlian.org_registry.divisions.dataset import DATASET_EDITION, DATASET_EFFECTIVE_DATE
from canlian.org_registry.divisions.dataset import DivisionRecord as DatasetRecord
from canlian.org_registry.divisions.models import DivisionChange
from canlian.org_registry.divisions.schemas import DivisionLoadResult

DATASET_SOURCE = f"nbs-{DATASET_EDITION}"


@dataclass
class LoadTally:
    read: int = 0
    inserted: int = 0
    renamed: int = 0
    unchanged: int = 0
    skipped: int = 0

    def result(self) -> DivisionLoadResult:
        return DivisionLoadResult(
            read=self.read,
            inserted=self.inserted,
            renamed=self.renamed,
            unchanged=self.unchanged,
            skipped=self.skipped,
        )


def batched(records: Iterable[DatasetRecord], size: int) -> Iterable[list[DatasetRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


async def apply_dataset_batch(
    session: AsyncSession, batch: Sequence[DatasetRecord], tally: LoadTally
) -> None:
    """Bring one batch of dataset rows into the table without touching recorded history.

    New codes are inserted as in force since before the records begin; a code whose current
    version predates the dataset and differs from it gets a new version from the dataset's
    date (a rename); codes closed by a recorded merge or split stay closed.
    """
    stored = await repository.dataset_rows_for(session, [record.code for record in batch])
    fresh: list[dict[str, Any]] = []
    closing: list[int] = []
    now = utcnow()
    for record in batch:
        tally.read += 1
        versions = stored.get(record.code)
        if not versions:
            fresh.append(_dataset_row(record, valid_from=None))
            continue
        current = [version for version in versions if version[5] is None]
        if not current:
            tally.skipped += 1
            continue
        row_id, name, level, parent, valid_from, _valid_to = current[0]
        if (name, level, parent) == (record.name, record.level, record.parent_code):
            tally.unchanged += 1
        elif valid_from is None or valid_from < DATASET_EFFECTIVE_DATE:
            closing.append(row_id)
            fresh.append(_dataset_row(record, valid_from=DATASET_EFFECTIVE_DATE))
            session.add(
                DivisionChange(
                    change=DivisionChangeKind.RENAMED.value,
                    code=record.code,
                    successor_code=None,
                    effective_on=DATASET_EFFECTIVE_DATE,
                    old_name=name,
                    new_name=record.name,
                    note=f"NBS {DATASET_EDITION} dataset",
                    recorded_at=now,
                    recorded_by=DATASET_SOURCE,
                )
            )
            tally.renamed += 1
        else:
            tally.skipped += 1  # a change recorded after the dataset's date wins
    await repository.close_versions(session, closing, DATASET_EFFECTIVE_DATE)
    await session.flush()
    await repository.insert_divisions(session, fresh)
    tally.inserted += len(fresh) - len(closing)


def _dataset_row(record: DatasetRecord, *, valid_from: date | None) -> dict[str, Any]:
    return {
        "code": record.code,
        "name": record.name,
        "level": record.level,
        "parent_code": record.parent_code,
        "valid_from": valid_from,
        "valid_to": None,
        "source": DATASET_SOURCE,
    }
