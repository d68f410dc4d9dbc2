"""Where divisions come from: the registry's bundled NBS dataset (or a CSV), or its API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import typer

from canlian.common import divisions
from canlian.common.division_names import dataset as division_names_dataset
from canlian.common.division_names.dataset import DivisionRow, count_dataset, default_dataset

__all__ = ["count_dataset", "default_dataset", "fetch_divisions", "read_dataset"]


def read_dataset(path: Path, province: str | None) -> Iterator[DivisionRow]:
    """The dataset's rows (`canlian.common.division_names.dataset`), a wrong header said as
    the command's bad parameter."""
    try:
        yield from division_names_dataset.read_dataset(path, province)
    except division_names_dataset.InvalidDataset as error:
        raise typer.BadParameter(str(error)) from error


async def fetch_divisions(
    http: httpx.AsyncClient, token: str, region: str, *, parallel: int = 8
) -> list[DivisionRow]:
    """The region and its whole subtree from the registry's API (children, level by level)."""
    headers = {"Authorization": f"Bearer {token}"}

    def row(item: dict[str, object]) -> DivisionRow:
        parent = item.get("parent_code")
        return DivisionRow(
            str(item["code"]),
            str(item["name"]),
            int(str(item["level"])),
            str(parent) if parent else divisions.NATION,
        )

    async def children(code: str) -> list[DivisionRow]:
        found: list[DivisionRow] = []
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

    found: list[DivisionRow] = []
    if region != divisions.NATION:
        response = await http.get(f"/v1/divisions/{region}", headers=headers)
        response.raise_for_status()
        found.append(row(response.json()))
    frontier = [region]
    while frontier:
        below: list[DivisionRow] = []
        for first in range(0, len(frontier), parallel):
            pages = await asyncio.gather(
                *(children(code) for code in frontier[first : first + parallel])
            )
            for page in pages:
                below.extend(page)
        found.extend(below)
        frontier = [item.code for item in below if item.level < 5]
    return found
