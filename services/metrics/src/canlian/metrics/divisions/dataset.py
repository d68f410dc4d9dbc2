"""Where divisions come from: the registry's bundled NBS dataset (or a CSV), or its API."""

from __future__ import annotations

import asyncio
import csv
import gzip
import importlib.resources
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import typer

from canlian.common import divisions
from canlian.metrics.contributions import mappers as contributions_mappers


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


def read_dataset(path: Path, province: str | None) -> Iterator[contributions_mappers.DivisionRow]:
    """Rows of a `code,name,level,parent_code` CSV (gzip or plain), parents before children."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, mode="rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or header[:4] != ["code", "name", "level", "parent_code"]:
            raise typer.BadParameter(f"{path}: expected the header code,name,level,parent_code")
        for code, name, level, parent_code, *_ in reader:
            if province is not None and not code.startswith(province):
                continue
            yield contributions_mappers.DivisionRow(
                code if _WHOLE_CODE.fullmatch(code) else divisions.parse(code),
                name,
                int(level),
                parent_code or divisions.NATION,
            )


async def fetch_divisions(
    http: httpx.AsyncClient, token: str, region: str, *, parallel: int = 8
) -> list[contributions_mappers.DivisionRow]:
    """The region and its whole subtree from the registry's API (children, level by level)."""
    headers = {"Authorization": f"Bearer {token}"}

    def row(item: dict[str, object]) -> contributions_mappers.DivisionRow:
        parent = item.get("parent_code")
        return contributions_mappers.DivisionRow(
            str(item["code"]),
            str(item["name"]),
            int(str(item["level"])),
            str(parent) if parent else divisions.NATION,
        )

    async def children(code: str) -> list[contributions_mappers.DivisionRow]:
        found: list[contributions_mappers.DivisionRow] = []
        cursor: str | None = None
        while True:
            params: dict[str, str | int] = {"limit": 200}
            if cursor:
                params["cursor"] = cursor
            response = await http.get(
                f"/v1/divisions/{code}/children", params=params, headers=headers
            )
            response.raise_for_status()
            page = response.json()
            found.extend(row(item) for item in page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return found

    found: list[contributions_mappers.DivisionRow] = []
    if region != divisions.NATION:
        response = await http.get(f"/v1/divisions/{region}", headers=headers)
        response.raise_for_status()
        found.append(row(response.json()))
    frontier = [region]
    while frontier:
        below: list[contributions_mappers.DivisionRow] = []
        for first in range(0, len(frontier), parallel):
            pages = await asyncio.gather(
                *(children(code) for code in frontier[first : first + parallel])
            )
            for page in pages:
                below.extend(page)
        found.extend(below)
        frontier = [item.code for item in below if item.level < 5]
    return found
