"""The registry's bundled NBS dataset (or a CSV of the same columns), read row by row."""

from __future__ import annotations

import csv
import gzip
import importlib.resources
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from canlian.common import divisions


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: int
    parent_code: str | None


class InvalidDataset(ValueError):
    """The file is not a `code,name,level,parent_code` CSV."""


def default_dataset() -> Path | None:
    """The NBS dataset the organisation registry ships, when it is installed beside us."""
    try:
        found = importlib.resources.files("canlian.org_registry").joinpath(
            "data/divisions-2023.csv.gz"
        )
    except ModuleNotFoundError:
        return None
    path = Path(str(found))
    return path if path.exists() else None


# Codes as `divisions.parse` takes them unchanged (nation, province, city, county, township,
# village; a city without counties has township codes with a zero county segment), checked
# without its cache: all of China would leave 665,000 codes in it. Others go to `parse`,
# which pads a short prefix or says what is wrong.
_WHOLE_CODE = re.compile(
    r"0{12}|(?!00)[0-9]{2}(?:0{10}|(?!00)[0-9]{2}(?:0{8}|[0-9]{2}(?:0{6}|(?!000)[0-9]{3}"
    r"(?:000|(?!000)[0-9]{3}))))"
)


def count_dataset(path: Path, province: str | None) -> int:
    """How many rows `read_dataset` yields, for a progress bar: lines, without parsing."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, mode="rt", encoding="utf-8", newline="") as handle:
        next(handle, None)
        return sum(1 for line in handle if province is None or line.startswith(province))


def read_dataset(path: Path, province: str | None) -> Iterator[DivisionRow]:
    """Rows of a `code,name,level,parent_code` CSV (gzip or plain), parents before children."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, mode="rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or header[:4] != ["code", "name", "level", "parent_code"]:
            raise InvalidDataset(f"{path}: expected the header code,name,level,parent_code")
        for code, name, level, parent_code, *_ in reader:
            if province is not None and not code.startswith(province):
                continue
            yield DivisionRow(
                code if _WHOLE_CODE.fullmatch(code) else divisions.parse(code),
                name,
                int(level),
                parent_code or divisions.NATION,
            )
